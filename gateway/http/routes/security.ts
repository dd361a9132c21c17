import { Router } from 'express';
import type { Gateway } from '../../call-tool.ts';

/** The security centre over HTTP: change password, MFA enrolment, confirmation and removal (thin adapters over the users tools). */
export function securityRoutes(_gateway: Gateway): Router {
  return Router();
}
