import { Router } from 'express';
import { principalOf, requireAuth } from '../../auth/authenticate.ts';
import type { Gateway } from '../../call-tool.ts';

/** Admin adapters over the users tools: "View As" impersonation. */
export function adminRoutes(gateway: Gateway): Router {
  const router = Router();
  // Returns `{ token, expiresAt, subject }`; the token is then sent as `Authorization: Bearer`.
  router.post('/api/admin/impersonate/:userId', requireAuth, async (req, res) => {
    res.json(
      await gateway.callTool(principalOf(req), 'users_impersonate', { user: String(req.params.userId) }),
    );
  });
  // With the impersonation token: ends that impersonation; with the admin's own session: all of theirs.
  router.delete('/api/admin/impersonate', requireAuth, async (req, res) => {
    await gateway.callTool(principalOf(req), 'users_end_impersonation', {});
    res.status(204).end();
  });
  return router;
}
