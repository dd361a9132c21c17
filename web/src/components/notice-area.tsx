import type { Notice } from '../notices.ts';

/** Short-lived messages ("Session revoked"), announced politely to screen readers. */
export function NoticeArea({ notices }: { notices: Notice[] }) {
  return (
    <div className="notice-area" role="status" aria-live="polite">
      {notices.map((n) => (
        <p key={n.id} className={`notice notice-${n.tone}`}>
          {n.message}
        </p>
      ))}
    </div>
  );
}
