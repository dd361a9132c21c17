import { createContext, useContext } from 'react';
import type { ImpersonationGrant } from './api/impersonation-store.ts';
import type { Me, ToolInfo } from './api/types.ts';
import type { Locale } from './format.ts';

/** The signed-in person as every view sees them, and what they can do about their session. */
export interface Session {
  me: Me;
  tools: ToolInfo[];
  locale: Locale;
  /** This tab's "View As" grant, while viewing as someone. */
  grant: ImpersonationGrant | undefined;
  hasTool(name: string): boolean;
  /** Reloads the caller (after a profile change) and their tools. */
  refresh(): Promise<void>;
  signOut(): Promise<void>;
  viewAs(userId: string): Promise<void>;
  exitViewAs(): Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in console');
  return session;
}
