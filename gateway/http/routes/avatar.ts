import { Router } from 'express';
import type { Gateway } from '../../call-tool.ts';

/** Avatar upload, removal and serving. */
export function avatarRoutes(_gateway: Gateway): Router {
  return Router();
}
