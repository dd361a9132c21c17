import type { UIMessage } from 'ai';
import { useEffect, useRef, useState } from 'react';
import { listAgents, listConversations, loadConversation, newConversationId } from '../api/chat.ts';
import { ChatPanel } from '../components/chat-panel.tsx';
import { ConversationList } from '../components/conversation-list.tsx';
import { Link } from '../components/link.tsx';
import { ErrorNotice, Loading } from '../components/states.tsx';
import { useAsync } from '../hooks/use-async.ts';
import { navigate } from '../router.ts';
import { useSession } from '../session-context.ts';

interface Active {
  id: string;
  messages: UIMessage[];
  agent?: string | undefined;
  status: 'ready' | 'loading' | 'error';
  error?: Error;
}

const fresh = (): Active => ({ id: newConversationId(), messages: [], status: 'ready' });

/** Chat: the conversation list beside the open conversation. */
export function ChatView({ conversationId }: { conversationId?: string | undefined }) {
  const { hasTool } = useSession();
  if (!hasTool('agents_list'))
    return (
      <section className="page">
        <h1>Chat</h1>
        <p>
          The AI assistant is not switched on for your account. You can still do everything through the{' '}
          <Link to="/tools">tools</Link>.
        </p>
      </section>
    );
  return <Chat conversationId={conversationId} />;
}

function Chat({ conversationId }: { conversationId: string | undefined }) {
  const conversations = useAsync((signal) => listConversations(signal), []);
  const agents = useAsync((signal) => listAgents(signal), []);
  const [active, setActive] = useState<Active>(() =>
    conversationId ? { id: conversationId, messages: [], status: 'loading' } : fresh(),
  );
  const [agent, setAgent] = useState<string>();
  const [listOpen, setListOpen] = useState(false);
  const started = useRef(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: only a change of address opens another conversation
  useEffect(() => {
    if (!conversationId) {
      if (started.current || active.status !== 'ready') {
        started.current = false;
        setActive(fresh());
      }
      return;
    }
    if (conversationId === active.id && active.status !== 'loading') return;
    const controller = new AbortController();
    started.current = true;
    setActive({ id: conversationId, messages: [], status: 'loading' });
    loadConversation(conversationId, controller.signal).then(
      (c) => {
        setActive({ id: conversationId, messages: c.messages, agent: c.agent ?? undefined, status: 'ready' });
        setAgent(c.agent ?? undefined);
      },
      (error: Error) => {
        if (!controller.signal.aborted)
          setActive({ id: conversationId, messages: [], status: 'error', error });
      },
    );
    return () => controller.abort();
  }, [conversationId]);

  const agentList = agents.data ?? [];
  const chosen =
    agent ?? agentList.find((a) => a.name === 'assistant')?.name ?? agentList[0]?.name ?? 'assistant';

  return (
    <div className={listOpen ? 'chat-layout list-open' : 'chat-layout'}>
      <button
        type="button"
        className="button button-small conversations-toggle"
        aria-expanded={listOpen}
        aria-controls="conversation-sidebar"
        onClick={() => setListOpen((open) => !open)}
      >
        {listOpen ? 'Hide conversations' : 'Conversations'}
      </button>
      <aside id="conversation-sidebar" className="chat-sidebar">
        <ConversationList
          items={conversations.data}
          loading={conversations.loading}
          error={conversations.error}
          currentId={conversationId}
          onRetry={conversations.reload}
          onPick={() => setListOpen(false)}
        />
      </aside>
      {active.status === 'loading' ? (
        <section className="chat-panel">
          <Loading label="Loading the conversation" lines={4} />
        </section>
      ) : active.status === 'error' ? (
        <section className="chat-panel">
          <ErrorNotice error={active.error} onRetry={() => navigate('/chat')} />
        </section>
      ) : (
        <ChatPanel
          key={active.id}
          id={active.id}
          initialMessages={active.messages}
          agents={agentList}
          agent={chosen}
          onAgentChange={setAgent}
          onStarted={() => {
            started.current = true;
            navigate(`/chat/${encodeURIComponent(active.id)}`, { replace: true });
          }}
          onTurnDone={() => {
            // The server saves the conversation as the stream ends; look again shortly after.
            conversations.reload();
            setTimeout(conversations.reload, 1500);
          }}
        />
      )}
    </div>
  );
}
