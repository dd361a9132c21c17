import { type DynamicToolUIPart, getToolName, type ToolUIPart } from 'ai';
import { humanize } from '../format.ts';
import { useSession } from '../session-context.ts';
import { ApprovalPrompt } from './approval-prompt.tsx';
import { ResultView } from './result-view.tsx';

const STATUS: Record<string, { label: string; tone: string }> = {
  'input-streaming': { label: 'Preparing', tone: 'pending' },
  'input-available': { label: 'Running', tone: 'pending' },
  'approval-requested': { label: 'Needs approval', tone: 'warning' },
  'approval-responded': { label: 'Answered', tone: 'pending' },
  'output-available': { label: 'Done', tone: 'ok' },
  'output-error': { label: 'Failed', tone: 'error' },
  'output-denied': { label: 'Rejected', tone: 'muted' },
};

/** One tool call in the chat: which tool, with what, how it went, and its result rendered by type. */
export function ToolCallCard({
  part,
  onApproval,
}: {
  part: ToolUIPart | DynamicToolUIPart;
  onApproval: (id: string, approved: boolean, reason?: string) => void;
}) {
  const { tools } = useSession();
  const name = getToolName(part);
  const tool = tools.find((t) => t.name === name);
  const status = STATUS[part.state] ?? { label: part.state, tone: 'pending' };
  const args = part.input && typeof part.input === 'object' ? Object.entries(part.input as object) : [];
  const asksApproval = part.state === 'approval-requested';
  return (
    <article
      className={`tool-card tool-card-${status.tone}${asksApproval ? ' approval-card' : ''}`}
      aria-label={`${tool?.title ?? humanize(name)}: ${status.label}`}
    >
      <header className="tool-card-header">
        <span className="tool-card-title">
          {tool?.title ?? humanize(name)} <code className="tool-name">{name}</code>
        </span>
        <span className={`status status-${status.tone}`}>
          {status.tone === 'pending' && <span className="spinner" aria-hidden="true" />}
          {status.label}
        </span>
      </header>
      {args.length > 0 && (
        <dl className="tool-args">
          {args.map(([key, value]) => (
            <div key={key}>
              <dt>{key}</dt>
              <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
            </div>
          ))}
        </dl>
      )}
      {asksApproval && (
        <ApprovalPrompt onAnswer={(approved, reason) => onApproval(part.approval.id, approved, reason)} />
      )}
      {part.state === 'output-available' && (
        <div className="tool-result">
          <ResultView result={part.output} />
        </div>
      )}
      {part.state === 'output-error' && (
        <p className="tool-error" role="alert">
          {part.errorText}
        </p>
      )}
      {part.state === 'output-denied' && (
        <p className="muted">Not run{part.approval.reason ? `: ${part.approval.reason}` : '.'}</p>
      )}
    </article>
  );
}
