import { dropGrant, readGrant } from './impersonation-store.ts';

export interface FieldError {
  field: string;
  message: string;
}

/** An error answer of the gateway: `{error: {code, message, details}}` with its HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The fields the gateway named as wrong (`details.fields`, or a single `details.field`). */
  get fields(): FieldError[] {
    const list = this.details.fields;
    if (Array.isArray(list)) return list as FieldError[];
    if (typeof this.details.field === 'string') return [{ field: this.details.field, message: this.message }];
    return [];
  }
}

export type AuthLoss = 'session-ended' | 'impersonation-ended';
type AuthLossListener = (loss: AuthLoss) => void;
const listeners = new Set<AuthLossListener>();

/** Called when a request finds the session (or the "View As" grant) gone: expired or revoked. */
export function onAuthLoss(listener: AuthLossListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The Authorization header while viewing as someone; nothing otherwise (the cookie does the rest). */
export function authHeaders(): Record<string, string> {
  const grant = readGrant();
  return grant ? { authorization: `Bearer ${grant.token}` } : {};
}

export interface RequestOptions {
  /** Sign-in requests: a 401 there is a wrong password, not a lost session. */
  anonymous?: boolean;
  signal?: AbortSignal;
}

/** `fetch` on the gateway with the caller's credentials; a 401 announces the lost session. */
export async function gatewayFetch(input: string, init: RequestInit = {}, options: RequestOptions = {}) {
  const hadGrant = Boolean(readGrant());
  const headers = new Headers(init.headers);
  if (!options.anonymous) for (const [name, value] of Object.entries(authHeaders())) headers.set(name, value);
  const res = await fetch(input, { ...init, headers, credentials: 'same-origin' });
  if (res.status === 401 && !options.anonymous) {
    if (hadGrant) dropGrant();
    for (const listener of listeners) listener(hadGrant ? 'impersonation-ended' : 'session-ended');
  }
  return res;
}

async function errorOf(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  try {
    const { error } = JSON.parse(text) as { error: { code: string; message: string; details?: object } };
    return new ApiError(
      res.status,
      error.code,
      error.message,
      (error.details ?? {}) as Record<string, unknown>,
    );
  } catch {
    return new ApiError(res.status, 'internal', `The server answered ${res.status} ${res.statusText}.`);
  }
}

/** A JSON request; resolves with the body or rejects with an `ApiError`. */
export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const init: RequestInit = { method, ...(options.signal ? { signal: options.signal } : {}) };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  let res: Response;
  try {
    res = await gatewayFetch(path, init, options);
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network', 'The server could not be reached. Check your connection and try again.');
  }
  if (!res.ok) throw await errorOf(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Calls a tool through `POST /api/tools/:name` and returns its result. */
export async function callTool<T = unknown>(
  name: string,
  args: object = {},
  signal?: AbortSignal,
): Promise<T> {
  const { result } = await request<{ result: T }>(
    'POST',
    `/api/tools/${encodeURIComponent(name)}`,
    args,
    signal ? { signal } : {},
  );
  return result;
}
