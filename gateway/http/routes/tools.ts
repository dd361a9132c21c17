import { Router } from 'express';
import { principalOf, requireAuth } from '../../auth/authenticate.ts';
import type { Gateway } from '../../call-tool.ts';
import { meView } from '../me-view.ts';

/** The caller, their tools, and any tool by name: a thin REST adapter over `gateway.callTool`. */
export function toolRoutes(gateway: Gateway): Router {
  const router = Router();
  router.get('/api/me', requireAuth, (req, res) => {
    res.json(meView(principalOf(req)));
  });
  router.get('/api/tools', requireAuth, (req, res) => {
    res.json({ tools: gateway.listTools(principalOf(req)) });
  });
  router.post('/api/tools/:name', requireAuth, async (req, res) => {
    const result = await gateway.callTool(principalOf(req), String(req.params.name), req.body ?? {}, {
      nested: req.authVia === 'context',
    });
    res.json({ result });
  });
  return router;
}
