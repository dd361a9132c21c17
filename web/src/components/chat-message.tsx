import { isToolUIPart, type UIMessage } from 'ai';
import { ToolCallCard } from './tool-call-card.tsx';

/** One message: the person's words, or the agent's text and tool calls in the order they came. */
export function ChatMessage({
  message,
  onApproval,
}: {
  message: UIMessage;
  onApproval: (id: string, approved: boolean, reason?: string) => void;
}) {
  const mine = message.role === 'user';
  return (
    <div className={mine ? 'message message-user' : 'message message-assistant'}>
      <span className="visually-hidden">{mine ? 'You said:' : 'Agent:'}</span>
      {message.parts.map((part, index) => {
        const key = `${message.id}-${index}`;
        if (part.type === 'text')
          return part.text ? (
            <p key={key} className="message-text">
              {part.text}
            </p>
          ) : null;
        if (isToolUIPart(part)) return <ToolCallCard key={key} part={part} onApproval={onApproval} />;
        return null;
      })}
    </div>
  );
}
