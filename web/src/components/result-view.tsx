import { humanize } from '../format.ts';
import { ActivityTimeline } from './activity-timeline.tsx';
import { DataTable } from './data-table.tsx';
import { RecordCard } from './record-card.tsx';
import { plainText, shapeOf } from './result-shape.ts';
import { ValueText } from './value-text.tsx';

/** A tool's result in the form that suits it: table, timeline, detail card or a plain value. */
export function ResultView({ result }: { result: unknown }) {
  const shape = shapeOf(result);
  switch (shape.kind) {
    case 'empty':
      return <p className="muted">Done.</p>;
    case 'value':
      return (
        <p className="result-value">
          <ValueText value={shape.value} />
        </p>
      );
    case 'timeline':
      return (
        <>
          <ResultContext context={shape.context} total={shape.total} shown={shape.items.length} />
          <ActivityTimeline items={shape.items} />
        </>
      );
    case 'table':
      return (
        <DataTable
          rows={shape.rows}
          caption={<ResultContext context={shape.context} total={shape.total} shown={shape.rows.length} />}
          empty={`No ${shape.listKey ? humanize(shape.listKey).toLowerCase() : 'results'}.`}
        />
      );
    case 'record':
      return <RecordCard record={shape.record} title={shape.title} />;
  }
}

/** What a list came with: "10 in all", "user: carol@acme.test". */
function ResultContext({
  context,
  total,
  shown,
}: {
  context: Record<string, unknown>;
  total?: number | undefined;
  shown: number;
}) {
  const parts = Object.entries(context)
    .filter(
      ([, v]) =>
        (v !== null && v !== undefined && typeof v !== 'object') ||
        (v && typeof v === 'object' && !Array.isArray(v)),
    )
    .map(([k, v]) => `${humanize(k)}: ${plainText(v)}`);
  if (total !== undefined && total > shown) parts.unshift(`${shown} of ${total} shown`);
  else if (total !== undefined) parts.unshift(`${total} in all`);
  if (parts.length === 0) return null;
  return <span className="result-context">{parts.join(' · ')}</span>;
}
