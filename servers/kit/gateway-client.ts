import { type CallContext, signCallContext } from '../../core/call-context.ts';
import { AppError, fromErrorBody } from '../../core/errors.ts';

/**
 * How a domain server running in its own process calls another domain's tool: back through the
 * gateway's REST adapter, as the same principal, presenting the call context it was given
 * (re-signed with the shared key) as `Authorization: Context <jwt>`.
 */
export function remoteGatewayCaller(gatewayUrl: string, contextKey: Uint8Array) {
  return async (ctx: CallContext, name: string, args: Record<string, unknown>): Promise<unknown> => {
    const res = await fetch(new URL(`/api/tools/${encodeURIComponent(name)}`, gatewayUrl), {
      method: 'POST',
      headers: {
        authorization: `Context ${await signCallContext(ctx, contextKey)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(args),
    });
    const body = (await res.json().catch(() => ({}))) as { result?: unknown; error?: unknown };
    if (!res.ok)
      throw (
        fromErrorBody(body.error) ??
        new AppError('internal', `The gateway answered ${res.status} to ${name}.`)
      );
    return body.result;
  };
}
