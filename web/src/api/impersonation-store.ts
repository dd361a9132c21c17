/**
 * The "View As" grant of this browser tab. Kept in sessionStorage, so it ends with the tab and
 * never leaks into the admin's other tabs; sent as `Authorization: Bearer` while present.
 */
export interface ImpersonationGrant {
  token: string;
  expiresAt: string;
  actor: { name: string; email: string };
  subject: { id?: string; name: string; email: string };
}

const KEY = 'bizosaas.impersonation';

export function readGrant(): ImpersonationGrant | undefined {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as ImpersonationGrant) : undefined;
  } catch {
    return undefined;
  }
}

export function saveGrant(grant: ImpersonationGrant): void {
  sessionStorage.setItem(KEY, JSON.stringify(grant));
}

export function dropGrant(): void {
  sessionStorage.removeItem(KEY);
}
