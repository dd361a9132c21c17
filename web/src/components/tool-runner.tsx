import { useRef, useState } from 'react';
import { callTool } from '../api/client.ts';
import type { ToolInfo } from '../api/types.ts';
import { toolLabel } from '../format.ts';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { ResultView } from './result-view.tsx';
import { SchemaForm } from './schema-form.tsx';
import { ToolBadges } from './tool-badges.tsx';

/** One tool: its form, generated from its schema; a destructive one asks first; then its result. */
export function ToolRunner({ tool }: { tool: ToolInfo }) {
  const [result, setResult] = useState<{ value: unknown } | undefined>();
  const [pending, setPending] = useState<Record<string, unknown>>();
  const confirmed = useRef<(ok: boolean) => void>(undefined);
  const destructive = Boolean(tool.annotations?.destructiveHint);

  const run = async (args: Record<string, unknown>) => {
    if (destructive) {
      const ok = await new Promise<boolean>((resolve) => {
        confirmed.current = resolve;
        setPending(args);
      });
      setPending(undefined);
      if (!ok) return;
    }
    setResult({ value: await callTool(tool.name, args) });
  };

  return (
    <section className="tool-runner" aria-labelledby="tool-runner-title">
      <header className="tool-runner-header">
        <h2 id="tool-runner-title">{toolLabel(tool.name, tool.title)}</h2>
        <code className="tool-name">{tool.name}</code>
        <ToolBadges tool={tool} />
      </header>
      {tool.description && <p className="tool-description">{tool.description}</p>}
      <SchemaForm
        key={tool.name}
        schema={tool.inputSchema}
        submitLabel={destructive ? 'Run…' : 'Run'}
        danger={destructive}
        onSubmit={run}
      />
      <div className="tool-output" aria-live="polite">
        {result && (
          <>
            <h3>Result</h3>
            <ResultView result={result.value} />
          </>
        )}
      </div>
      <ConfirmDialog
        open={pending !== undefined}
        title={`Run ${toolLabel(tool.name, tool.title)}?`}
        confirmLabel="Run it"
        onConfirm={() => confirmed.current?.(true)}
        onClose={() => confirmed.current?.(false)}
      >
        <p>This tool is marked destructive: what it changes may not be undoable.</p>
        <pre className="mono args-preview">{JSON.stringify(pending ?? {}, null, 2)}</pre>
      </ConfirmDialog>
    </section>
  );
}
