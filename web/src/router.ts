import { useSyncExternalStore } from 'react';

/** A tiny history router: the console has a handful of routes and needs nothing more. */
const NAVIGATE = 'bizosaas:navigate';

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === location.pathname + location.search) return;
  if (options.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATE));
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE, onChange);
  };
}

/** The current path (without query), re-rendering on navigation. */
export function usePath(): string {
  return useSyncExternalStore(subscribe, () => location.pathname);
}

export type Route =
  | { view: 'chat'; conversationId?: string }
  | { view: 'tools'; tool?: string }
  | { view: 'users' }
  | { view: 'user'; userId: string; tab: 'profile' | 'activity' | 'security' }
  | { view: 'security' }
  | { view: 'profile' }
  | { view: 'not-found' };

const USER_TABS = ['profile', 'activity', 'security'] as const;

/** Which view a path shows. */
export function routeOf(path: string): Route {
  const [first, second, third] = path
    .split('/')
    .filter(Boolean)
    .map((s) => decodeURIComponent(s));
  switch (first) {
    case undefined:
    case 'chat':
      return second ? { view: 'chat', conversationId: second } : { view: 'chat' };
    case 'tools':
      return second ? { view: 'tools', tool: second } : { view: 'tools' };
    case 'users': {
      if (!second) return { view: 'users' };
      const tab = USER_TABS.find((t) => t === third) ?? 'profile';
      return { view: 'user', userId: second, tab };
    }
    case 'security':
      return { view: 'security' };
    case 'profile':
      return { view: 'profile' };
    default:
      return { view: 'not-found' };
  }
}
