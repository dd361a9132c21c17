import { type ReactNode, useMemo, useState } from 'react';
import { humanize } from '../format.ts';
import { Link } from './link.tsx';
import { columnsFor, linkFor, plainText, type Row } from './result-shape.ts';
import { Empty, Loading } from './states.tsx';
import { ValueText } from './value-text.tsx';

export type SortOrder = 'asc' | 'desc';
export interface SortState {
  key: string;
  order: SortOrder;
}

const CLIENT_PAGE_SIZE = 10;

/**
 * A table of records, sortable by its column headers and paged. Sorting and paging happen here
 * for a list already in hand (a tool result in chat), or on the server when `onSort`/`onPage` are given.
 */
export function DataTable({
  rows,
  columns,
  caption,
  sort,
  sortable,
  onSort,
  page,
  pageSize,
  total,
  onPage,
  busy = false,
  empty = 'Nothing to show.',
  rowActions,
}: {
  rows: Row[];
  columns?: string[];
  caption?: ReactNode;
  sort?: SortState;
  sortable?: string[];
  onSort?: (sort: SortState) => void;
  page?: number;
  pageSize?: number;
  total?: number;
  onPage?: (page: number) => void;
  busy?: boolean;
  empty?: ReactNode;
  rowActions?: (row: Row) => ReactNode;
}) {
  const cols = useMemo(() => columns ?? columnsFor(rows), [columns, rows]);
  const [localSort, setLocalSort] = useState<SortState>();
  const [localPage, setLocalPage] = useState(1);
  const serverSorted = Boolean(onSort);
  const serverPaged = Boolean(onPage);
  const currentSort = serverSorted ? sort : localSort;

  const sorted = useMemo(() => {
    if (serverSorted || !localSort) return rows;
    const { key, order } = localSort;
    const sign = order === 'asc' ? 1 : -1;
    return [...rows].sort((a, b) => {
      const [x, y] = [a[key], b[key]];
      if (typeof x === 'number' && typeof y === 'number') return (x - y) * sign;
      return (
        plainText(x).localeCompare(plainText(y), undefined, { numeric: true, sensitivity: 'base' }) * sign
      );
    });
  }, [rows, localSort, serverSorted]);

  const size = serverPaged ? (pageSize ?? rows.length) : CLIENT_PAGE_SIZE;
  const current = serverPaged ? (page ?? 1) : localPage;
  const count = serverPaged ? (total ?? rows.length) : rows.length;
  const pages = Math.max(1, Math.ceil(count / Math.max(1, size)));
  const visible = serverPaged ? sorted : sorted.slice((current - 1) * size, current * size);

  const sortBy = (key: string) => {
    const next: SortState = {
      key,
      order: currentSort?.key === key && currentSort.order === 'asc' ? 'desc' : 'asc',
    };
    if (onSort) onSort(next);
    else {
      setLocalSort(next);
      setLocalPage(1);
    }
  };
  const goTo = (p: number) => (onPage ? onPage(p) : setLocalPage(p));
  const canSort = (key: string) => (serverSorted ? (sortable ?? []).includes(key) : true);

  if (rows.length === 0) return busy ? <Loading lines={4} /> : <Empty>{empty}</Empty>;
  const first = count === 0 ? 0 : (current - 1) * size + 1;
  const last = Math.min(count, current * size);
  return (
    <div className={busy ? 'data-table is-busy' : 'data-table'} aria-busy={busy}>
      <div className="table-scroll">
        <table>
          {caption && <caption>{caption}</caption>}
          <thead>
            <tr>
              {cols.map((key) => {
                const active = currentSort?.key === key;
                const ariaSort = active
                  ? currentSort.order === 'asc'
                    ? 'ascending'
                    : 'descending'
                  : undefined;
                return (
                  <th key={key} scope="col" aria-sort={ariaSort}>
                    {canSort(key) ? (
                      <button type="button" className="sort-button" onClick={() => sortBy(key)}>
                        {humanize(key)}
                        <span className="sort-mark" aria-hidden="true">
                          {active ? (currentSort.order === 'asc' ? '▲' : '▼') : '↕'}
                        </span>
                      </button>
                    ) : (
                      humanize(key)
                    )}
                  </th>
                );
              })}
              {rowActions && (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {visible.map((row, index) => {
              const href = linkFor(row);
              const key = typeof row.id === 'string' ? row.id : `${current}-${index}`;
              return (
                <tr key={key}>
                  {cols.map((col, i) => (
                    <td key={col} data-label={humanize(col)}>
                      {i === 0 && href ? (
                        <Link to={href}>
                          <ValueText value={row[col]} field={col} />
                        </Link>
                      ) : (
                        <ValueText value={row[col]} field={col} />
                      )}
                    </td>
                  ))}
                  {rowActions && <td className="row-actions">{rowActions(row)}</td>}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {(pages > 1 || serverPaged) && (
        <nav className="pager" aria-label="Pages">
          <span aria-live="polite">
            {first}–{last} of {count}
          </span>
          <button
            type="button"
            className="button button-small"
            disabled={current <= 1}
            onClick={() => goTo(current - 1)}
          >
            Previous
          </button>
          <button
            type="button"
            className="button button-small"
            disabled={current >= pages}
            onClick={() => goTo(current + 1)}
          >
            Next
          </button>
        </nav>
      )}
    </div>
  );
}
