import { useState } from 'react';
import { Link } from '../components/link.tsx';
import { Empty } from '../components/states.tsx';
import { ToolRunner } from '../components/tool-runner.tsx';
import { toolLabel } from '../format.ts';
import { useSession } from '../session-context.ts';

/** Every tool the caller may use, searchable; picking one opens the form its schema describes. */
export function ToolPaletteView({ toolName }: { toolName?: string | undefined }) {
  const { tools } = useSession();
  const [query, setQuery] = useState('');
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const shown = tools.filter((t) => {
    const text = `${t.name} ${t.title ?? ''} ${t.description ?? ''}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
  const tool = tools.find((t) => t.name === toolName);
  return (
    <div className={tool ? 'palette palette-open' : 'palette'}>
      <section className="palette-list" aria-labelledby="palette-title">
        <h1 id="palette-title">Tools</h1>
        <label className="field">
          <span className="field-label">Search tools</span>
          <input
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder="e.g. sessions"
          />
        </label>
        <p className="muted" aria-live="polite">
          {shown.length} of {tools.length} tools
        </p>
        {shown.length === 0 ? (
          <Empty>No tool matches “{query}”.</Empty>
        ) : (
          <ul className="tool-list">
            {shown.map((t) => (
              <li key={t.name}>
                <Link to={`/tools/${t.name}`} aria-current={t.name === toolName ? 'page' : undefined}>
                  <span className="tool-list-title">{toolLabel(t.name, t.title)}</span>
                  <code className="tool-name">{t.name}</code>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <div className="palette-detail">
        {tool ? (
          <>
            <Link to="/tools" className="back-link">
              ← All tools
            </Link>
            <ToolRunner key={tool.name} tool={tool} />
          </>
        ) : toolName ? (
          <Empty>You have no tool called {toolName}.</Empty>
        ) : (
          <Empty>Pick a tool to see its form. Everything the chat can do is here too.</Empty>
        )}
      </div>
    </div>
  );
}
