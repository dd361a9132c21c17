import { useEffect, useState } from 'react';

/** Recovery codes, shown once: to copy or download before leaving the page. */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const [href, setHref] = useState<string>();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    const url = URL.createObjectURL(new Blob([`${codes.join('\n')}\n`], { type: 'text/plain' }));
    setHref(url);
    return () => URL.revokeObjectURL(url);
  }, [codes]);
  return (
    <div className="recovery-codes stack">
      <p>
        <strong>Two-factor authentication is on.</strong> Keep these recovery codes somewhere safe: each one
        signs you in once if you lose your phone. They are shown only now.
      </p>
      <ol className="code-list" aria-label="Recovery codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <div className="actions">
        {href && (
          <a className="button" href={href} download="bizosaas-recovery-codes.txt">
            Download
          </a>
        )}
        <button
          type="button"
          className="button"
          onClick={async () => {
            await navigator.clipboard?.writeText(codes.join('\n')).catch(() => {});
            setCopied(true);
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" className="button button-primary" onClick={onDone}>
          I have saved them
        </button>
      </div>
    </div>
  );
}
