import type { AgentInfo } from '../api/types.ts';

/** Which agent answers: the ones the caller may talk to. */
export function AgentPicker({
  agents,
  value,
  onChange,
  disabled,
}: {
  agents: AgentInfo[];
  value: string;
  onChange: (agent: string) => void;
  disabled?: boolean;
}) {
  return (
    <label className="agent-picker">
      <span className="field-label">Agent</span>
      <select
        value={value}
        onChange={(e) => onChange(e.target.value)}
        disabled={disabled || agents.length === 0}
      >
        {agents.map((a) => (
          <option key={a.name} value={a.name}>
            {a.title}
          </option>
        ))}
      </select>
    </label>
  );
}
