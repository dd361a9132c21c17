import type { ToolInfo } from '../api/types.ts';

/** What a tool does to data, from its MCP annotations. */
export function ToolBadges({ tool }: { tool: ToolInfo }) {
  const a = tool.annotations ?? {};
  return (
    <span className="chips">
      {a.readOnlyHint ? (
        <span className="chip">read-only</span>
      ) : (
        <span className="chip chip-write">changes data</span>
      )}
      {a.destructiveHint && <span className="chip chip-danger">destructive</span>}
      {tool.access?.sensitive && <span className="chip">sensitive</span>}
    </span>
  );
}
