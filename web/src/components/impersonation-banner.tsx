import { useState } from 'react';
import { useSession } from '../session-context.ts';

/** Fixed while viewing as someone: who is looking, as whom, and the way back. */
export function ImpersonationBanner() {
  const { me, grant, exitViewAs } = useSession();
  const [busy, setBusy] = useState(false);
  if (!me.impersonator) return null;
  const actor = grant?.actor ?? {
    name: me.impersonator.email ?? 'A super admin',
    email: me.impersonator.email,
  };
  return (
    <section className="impersonation-banner" aria-label="Viewing as another user">
      <p>
        <strong>{actor.name}</strong>
        {actor.email && actor.email !== actor.name ? ` (${actor.email})` : ''} is viewing the platform as{' '}
        <strong>{me.user.name}</strong> ({me.user.email}). Every action is recorded for both.
      </p>
      <button
        type="button"
        className="button button-small"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          await exitViewAs();
          setBusy(false);
        }}
      >
        {busy ? 'Exiting…' : 'Exit'}
      </button>
    </section>
  );
}
