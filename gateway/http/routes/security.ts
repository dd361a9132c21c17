import { type Request, Router } from 'express';
import { principalOf, requireAuth } from '../../auth/authenticate.ts';
import type { Gateway } from '../../call-tool.ts';

/**
 * The security centre over HTTP: change password, MFA enrolment, confirmation and removal; thin
 * adapters over the users tools, so the policy (self only, not while impersonating) is the tools'.
 */
export function securityRoutes(gateway: Gateway): Router {
  const router = Router();
  const adapt = (path: string, tool: string) =>
    router.post(path, requireAuth, async (req: Request, res) => {
      res.json(await gateway.callTool(principalOf(req), tool, req.body ?? {}));
    });
  adapt('/api/auth/password', 'users_change_password');
  adapt('/api/auth/mfa/enroll', 'users_mfa_enroll');
  adapt('/api/auth/mfa/confirm', 'users_mfa_confirm');
  adapt('/api/auth/mfa/disable', 'users_mfa_disable');
  return router;
}
