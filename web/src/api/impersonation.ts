import { request } from './client.ts';
import { dropGrant, saveGrant } from './impersonation-store.ts';
import type { Me } from './types.ts';

interface Grant {
  token: string;
  expiresAt: string;
  subject: { id?: string; name?: string; email: string };
}

/** Starts "View As" for a user (super admins): from now on this tab acts as them. */
export async function startImpersonation(actor: Me, userId: string): Promise<void> {
  const grant = await request<Grant>('POST', `/api/admin/impersonate/${encodeURIComponent(userId)}`, {});
  saveGrant({
    token: grant.token,
    expiresAt: grant.expiresAt,
    actor: { name: actor.user.name, email: actor.user.email },
    subject: {
      ...(grant.subject.id ? { id: grant.subject.id } : {}),
      name: grant.subject.name ?? grant.subject.email,
      email: grant.subject.email,
    },
  });
}

/** Ends "View As" on the server (with the grant as Bearer), then forgets the grant whatever happened. */
export async function endImpersonation(): Promise<void> {
  try {
    await request<void>('DELETE', '/api/admin/impersonate');
  } finally {
    dropGrant();
  }
}
