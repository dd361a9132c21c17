import { type CallContext, verifyCallContext } from '../../core/call-context.ts';
import { AppError } from '../../core/errors.ts';

const MAX_CACHED = 2000;

/**
 * Verifies the gateway's signed call contexts. The gateway reuses a context for a short while,
 * so verified tokens are cached until they expire instead of re-checking the HMAC on every call.
 */
export function createContextVerifier(key: Uint8Array) {
  const cache = new Map<string, { ctx: CallContext; exp: number }>();
  return async function verify(token: unknown): Promise<CallContext> {
    if (typeof token !== 'string' || token.length === 0) {
      throw new AppError(
        'unauthenticated',
        'This server only answers calls routed through the gateway (no call context).',
      );
    }
    const now = Date.now() / 1000;
    const hit = cache.get(token);
    if (hit && hit.exp > now) return hit.ctx;
    const verified = await verifyCallContext(token, key);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(token, verified);
    return verified.ctx;
  };
}
