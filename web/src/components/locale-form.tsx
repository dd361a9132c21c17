import { type FormEvent, useMemo, useState } from 'react';
import { callTool } from '../api/client.ts';
import { useNotify } from '../notices.ts';
import { useSession } from '../session-context.ts';

const LANGUAGES: [string, string][] = [
  ['en', 'English'],
  ['en-GB', 'English (UK)'],
  ['en-US', 'English (US)'],
  ['de', 'Deutsch — German'],
  ['es', 'Español — Spanish'],
  ['fr', 'Français — French'],
  ['fr-CA', 'Français (Canada) — French, Canada'],
  ['it', 'Italiano — Italian'],
  ['ja', '日本語 — Japanese'],
  ['nl', 'Nederlands — Dutch'],
  ['pt-BR', 'Português (Brasil) — Portuguese, Brazil'],
  ['hi', 'हिन्दी — Hindi'],
  ['zh-CN', '中文 (简体) — Chinese, simplified'],
];

function timeZones(current: string): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set(['UTC', current, ...zones])];
}

/** The time zone and language dates are shown in, here and in what agents say. */
export function LocaleForm() {
  const { me, refresh } = useSession();
  const notify = useNotify();
  const [timezone, setTimezone] = useState(me.user.timezone);
  const [language, setLanguage] = useState(me.user.language);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const zones = useMemo(() => timeZones(me.user.timezone), [me.user.timezone]);
  const languages = LANGUAGES.some(([tag]) => tag === me.user.language)
    ? LANGUAGES
    : [[me.user.language, me.user.language] as [string, string], ...LANGUAGES];
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await callTool('users_set_locale', { timezone, language });
      await refresh();
      notify('Time zone and language saved.', 'success');
    } catch (reason) {
      setError((reason as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="stack" onSubmit={submit}>
      <div className="field">
        <label htmlFor="locale-timezone" className="field-label">
          Time zone
        </label>
        <select id="locale-timezone" value={timezone} onChange={(e) => setTimezone(e.target.value)}>
          {zones.map((z) => (
            <option key={z} value={z}>
              {z.replace(/_/g, ' ')}
            </option>
          ))}
        </select>
        {browserZone && browserZone !== timezone && (
          <button type="button" className="button button-link" onClick={() => setTimezone(browserZone)}>
            Use this device’s: {browserZone.replace(/_/g, ' ')}
          </button>
        )}
      </div>
      <div className="field">
        <label htmlFor="locale-language" className="field-label">
          Language
        </label>
        <select id="locale-language" value={language} onChange={(e) => setLanguage(e.target.value)}>
          {languages.map(([tag, name]) => (
            <option key={tag} value={tag}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <p className="form-error" role="alert">
        {error ?? ''}
      </p>
      <div>
        <button
          type="submit"
          className="button button-primary"
          disabled={busy || (timezone === me.user.timezone && language === me.user.language)}
        >
          {busy ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
