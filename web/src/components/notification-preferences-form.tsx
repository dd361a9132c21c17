import { type FormEvent, useEffect, useState } from 'react';
import { request } from '../api/client.ts';
import type { NotificationChannel, NotificationPreferences } from '../api/types.ts';
import { useAsync } from '../hooks/use-async.ts';
import { useNotify } from '../notices.ts';
import { ErrorNotice, Loading } from './states.tsx';

const CHANNELS: [NotificationChannel, string][] = [
  ['email', 'Email'],
  ['inApp', 'In the app'],
];
const EVENTS: [string, string][] = [
  ['securityAlerts', 'Security alerts'],
  ['leadUpdates', 'Lead updates'],
  ['reviewAlerts', 'New reviews'],
  ['billing', 'Billing'],
];

/** Which events you hear about, per channel. */
export function NotificationPreferencesForm() {
  const notify = useNotify();
  const loaded = useAsync(
    (signal) =>
      request<{ preferences: NotificationPreferences }>(
        'GET',
        '/api/me/notification-preferences',
        undefined,
        {
          signal,
        },
      ),
    [],
  );
  const [prefs, setPrefs] = useState<NotificationPreferences>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (loaded.data) setPrefs(loaded.data.preferences);
  }, [loaded.data]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!prefs) return;
    setBusy(true);
    setError(undefined);
    try {
      const answer = await request<{ preferences: NotificationPreferences }>(
        'PUT',
        '/api/me/notification-preferences',
        prefs,
      );
      setPrefs(answer.preferences);
      notify('Notification preferences saved.', 'success');
    } catch (reason) {
      setError((reason as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (loaded.error) return <ErrorNotice error={loaded.error} onRetry={loaded.reload} />;
  if (!prefs) return <Loading />;
  return (
    <form onSubmit={submit} className="stack">
      <table className="prefs-table">
        <caption className="visually-hidden">Notifications by event and channel</caption>
        <thead>
          <tr>
            <th scope="col">Event</th>
            {CHANNELS.map(([c, label]) => (
              <th scope="col" key={c}>
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {EVENTS.map(([event, label]) => (
            <tr key={event}>
              <th scope="row">{label}</th>
              {CHANNELS.map(([channel, channelLabel]) => (
                <td key={channel}>
                  <input
                    type="checkbox"
                    aria-label={`${label} by ${channelLabel.toLowerCase()}`}
                    checked={prefs[channel]?.[event] ?? false}
                    onChange={(e) =>
                      setPrefs((p) => p && { ...p, [channel]: { ...p[channel], [event]: e.target.checked } })
                    }
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="form-error" role="alert">
        {error ?? ''}
      </p>
      <div>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save preferences'}
        </button>
      </div>
    </form>
  );
}
