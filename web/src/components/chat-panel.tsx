import { useChat } from '@ai-sdk/react';
import { lastAssistantMessageIsCompleteWithApprovalResponses, type UIMessage } from 'ai';
import { useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { chatErrorMessage, chatTransport } from '../api/chat.ts';
import type { AgentInfo } from '../api/types.ts';
import { useSession } from '../session-context.ts';
import { AgentPicker } from './agent-picker.tsx';
import { ChatMessage } from './chat-message.tsx';
import { Composer } from './composer.tsx';

// Things to try that the person's role can actually do.
const STAFF_SUGGESTIONS = ['list all partners', 'show my active sessions', 'list the admins'];
const CLIENT_SUGGESTIONS = [
  'show my active sessions',
  'list the people in my team',
  'what do you remember about me?',
];

/** One conversation with an agent, streamed through `useChat`. */
export function ChatPanel({
  id,
  initialMessages,
  agents,
  agent,
  onAgentChange,
  onStarted,
  onTurnDone,
}: {
  id: string;
  initialMessages: UIMessage[];
  agents: AgentInfo[];
  agent: string;
  onAgentChange: (agent: string) => void;
  onStarted: () => void;
  onTurnDone: () => void;
}) {
  const { me } = useSession();
  const suggestions = me.user.role === 'client' ? CLIENT_SUGGESTIONS : STAFF_SUGGESTIONS;
  const agentRef = useRef(agent);
  agentRef.current = agent;
  const transport = useMemo(() => chatTransport(() => agentRef.current), []);
  const { messages, sendMessage, status, error, stop, addToolApprovalResponse, clearError, regenerate } =
    useChat({
      id,
      messages: initialMessages,
      transport,
      sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithApprovalResponses,
      onFinish: onTurnDone,
      experimental_throttle: 40,
    });
  const busy = status === 'submitted' || status === 'streaming';

  // Follow the conversation while the reader is at its end; leave them be when they scrolled up.
  const log = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  useLayoutEffect(() => {
    const el = log.current;
    if (el && following.current) el.scrollTop = el.scrollHeight;
  });
  useEffect(() => {
    const el = log.current;
    if (!el) return;
    const onScroll = () => {
      following.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, []);

  const send = (text: string) => {
    following.current = true;
    if (messages.length === 0) onStarted();
    void sendMessage({ text });
  };
  const approve = (approvalId: string, approved: boolean, reason?: string) => {
    following.current = true;
    void addToolApprovalResponse({ id: approvalId, approved, ...(reason ? { reason } : {}) });
  };

  return (
    <section className="chat-panel" aria-label="Conversation">
      <div className="chat-toolbar">
        <AgentPicker agents={agents} value={agent} onChange={onAgentChange} disabled={busy} />
      </div>
      <div
        className="chat-log"
        ref={log}
        role="log"
        aria-live="polite"
        aria-busy={busy}
        aria-label="Messages"
      >
        {messages.length === 0 && (
          <div className="chat-empty">
            <h2>What can I do for you?</h2>
            <p className="muted">Type a request, or start with one of these:</p>
            <ul className="suggestions">
              {suggestions.map((s) => (
                <li key={s}>
                  <button type="button" className="button button-small" onClick={() => send(s)}>
                    {s}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
        {messages.map((m) => (
          <ChatMessage key={m.id} message={m} onApproval={approve} />
        ))}
        <p className="chat-status" aria-hidden={!busy}>
          {status === 'submitted' ? (
            <>
              <span className="spinner" aria-hidden="true" /> Thinking…
            </>
          ) : status === 'streaming' ? (
            'Answering…'
          ) : (
            ''
          )}
        </p>
      </div>
      {error && (
        <div className="chat-error" role="alert">
          <p>{chatErrorMessage(error)}</p>
          <div>
            <button type="button" className="button button-small" onClick={() => void regenerate()}>
              Try again
            </button>
            <button type="button" className="button button-small" onClick={clearError}>
              Dismiss
            </button>
          </div>
        </div>
      )}
      <Composer busy={busy} onSend={send} onStop={() => void stop()} />
    </section>
  );
}
