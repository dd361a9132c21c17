import { Router } from 'express';
import type { Gateway } from '../../call-tool.ts';

/** Admin adapters: "View As" impersonation. */
export function adminRoutes(_gateway: Gateway): Router {
  return Router();
}
