import { CONTEXT_TTL_SECONDS, signCallContext } from '../core/call-context.ts';
import type { Principal } from './principal.ts';

// Reuse a signed context for half its lifetime, so a server never receives one about to expire.
const REUSE_MS = (CONTEXT_TTL_SECONDS * 1000) / 2;
const MAX_CACHED = 5000;

/**
 * Signs call contexts for servers, reusing one per distinct set of rights while it is fresh:
 * signing an HMAC JWT on every call would cost more than the call itself.
 */
export function createContextSigner(key: Uint8Array) {
  const cache = new Map<string, { token: string; until: number }>();
  return async function contextFor(principal: Principal): Promise<string> {
    const now = Date.now();
    const hit = cache.get(principal.cacheKey);
    if (hit && hit.until > now) return hit.token;
    const token = await signCallContext(principal, key);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(principal.cacheKey, { token, until: now + REUSE_MS });
    return token;
  };
}
