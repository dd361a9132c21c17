import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react';

/** The message box: Enter sends, Shift+Enter starts a new line; Stop while the agent answers. */
export function Composer({
  busy,
  onSend,
  onStop,
  disabled,
}: {
  busy: boolean;
  onSend: (text: string) => void;
  onStop: () => void;
  disabled?: boolean;
}) {
  const [text, setText] = useState('');
  const box = useRef<HTMLTextAreaElement>(null);
  // Back to the box when the agent has answered (not on first show: a phone would open its keyboard).
  const wasBusy = useRef(false);
  useEffect(() => {
    if (wasBusy.current && !busy) box.current?.focus();
    wasBusy.current = busy;
  }, [busy]);
  const send = (event?: FormEvent) => {
    event?.preventDefault();
    const message = text.trim();
    if (!message || busy || disabled) return;
    onSend(message);
    setText('');
  };
  const keys = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };
  return (
    <form className="composer" onSubmit={send}>
      <label htmlFor="composer-input" className="visually-hidden">
        Message
      </label>
      <textarea
        id="composer-input"
        ref={box}
        rows={2}
        placeholder="Ask or tell the agent…"
        aria-describedby="composer-keys"
        value={text}
        disabled={disabled}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={keys}
      />
      <span id="composer-keys" className="visually-hidden">
        Enter sends; Shift+Enter starts a new line.
      </span>
      {busy ? (
        <button type="button" className="button" onClick={onStop}>
          Stop
        </button>
      ) : (
        <button type="submit" className="button button-primary" disabled={!text.trim() || disabled}>
          Send
        </button>
      )}
    </form>
  );
}
