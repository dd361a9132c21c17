import { request } from './client.ts';
import type { Me } from './types.ts';

export type SignInAnswer = Me | { mfaRequired: true };

/** The caller; rejects with a 401 `ApiError` when nobody is signed in. */
export async function fetchMe(): Promise<Me> {
  return request<Me>('GET', '/api/me');
}

export function signIn(email: string, password: string): Promise<SignInAnswer> {
  return request<SignInAnswer>('POST', '/api/auth/login', { email, password }, { anonymous: true });
}

export function verifySecondFactor(code: string): Promise<Me> {
  return request<Me>('POST', '/api/auth/mfa/verify', { code }, { anonymous: true });
}

export function signOut(): Promise<void> {
  return request<void>('POST', '/api/auth/logout', {}, { anonymous: true });
}

/** Sets the password of an invited account from its one-time link, and signs in as it. */
export function acceptInvitation(token: string, password: string): Promise<SignInAnswer> {
  return request<SignInAnswer>(
    'POST',
    '/api/auth/invitations/accept',
    { token, password },
    { anonymous: true },
  );
}
