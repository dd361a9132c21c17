import { useEffect, useMemo, useState } from 'react';
import { callTool } from '../api/client.ts';
import type { Page, UserView } from '../api/types.ts';
import { DataTable, type SortState } from '../components/data-table.tsx';
import type { Row } from '../components/result-shape.ts';
import { ErrorNotice } from '../components/states.tsx';
import { roleLabel } from '../format.ts';
import { useAsync } from '../hooks/use-async.ts';
import { useDebounced } from '../hooks/use-debounced.ts';

const ROLES = ['super_admin', 'admin', 'sub_admin', 'partner', 'client'];
const STATUSES = ['active', 'invited', 'disabled'];
const COLUMNS = ['name', 'email', 'role', 'tenant', 'status', 'lastLoginAt'];
const SORTABLE = ['name', 'email', 'role', 'createdAt'];
const PAGE_SIZE = 20;

interface Filters {
  q: string;
  role: string;
  tenant: string;
  status: string;
  sort: string;
  order: 'asc' | 'desc';
  page: number;
}

// Filters live in the address, so Back from a user's page returns to the same list.
function readFilters(): Filters {
  const p = new URLSearchParams(location.search);
  return {
    q: p.get('q') ?? '',
    role: p.get('role') ?? '',
    tenant: p.get('tenant') ?? '',
    status: p.get('status') ?? '',
    sort: p.get('sort') ?? 'name',
    order: p.get('order') === 'desc' ? 'desc' : 'asc',
    page: Math.max(1, Number(p.get('page') ?? 1) || 1),
  };
}

function writeFilters(f: Filters) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) {
    const isDefault =
      (k === 'sort' && v === 'name') || (k === 'order' && v === 'asc') || (k === 'page' && v === 1);
    if (v !== '' && !isDefault) p.set(k, String(v));
  }
  const search = p.toString();
  history.replaceState(null, '', `${location.pathname}${search ? `?${search}` : ''}`);
}

/** The user directory: search, role, tenant and status filters, sorted and paged by the server. */
export function UsersView() {
  const [filters, setFilters] = useState<Filters>(readFilters);
  const query = useDebounced(filters.q.trim());
  useEffect(() => writeFilters(filters), [filters]);
  const set = (change: Partial<Filters>) => setFilters((f) => ({ ...f, page: 1, ...change }));

  const args = useMemo(
    () => ({
      ...(query ? { query } : {}),
      ...(filters.role ? { role: filters.role } : {}),
      ...(filters.tenant ? { tenant: filters.tenant } : {}),
      ...(filters.status ? { status: filters.status } : {}),
      sort: filters.sort,
      order: filters.order,
      page: filters.page,
      pageSize: PAGE_SIZE,
    }),
    [query, filters.role, filters.tenant, filters.status, filters.sort, filters.order, filters.page],
  );
  const users = useAsync((signal) => callTool<Page<UserView>>('users_list', args, signal), [args]);
  // The tenant filter offers the tenants the caller can see people in.
  const tenants = useAsync(async (signal) => {
    const all = await callTool<Page<UserView>>('users_list', { pageSize: 100 }, signal);
    const bySlug = new Map(
      all.items.flatMap((u) => (u.tenant ? [[u.tenant.slug, u.tenant.name] as const] : [])),
    );
    return [...bySlug].sort((a, b) => a[1].localeCompare(b[1]));
  }, []);

  const sort: SortState = { key: filters.sort, order: filters.order };
  return (
    <section className="page" aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      <search>
        <form className="filters" onSubmit={(e) => e.preventDefault()}>
          <label className="field">
            <span className="field-label">Search</span>
            <input
              type="search"
              value={filters.q}
              placeholder="Name, email or job title"
              onChange={(e) => set({ q: e.target.value })}
            />
          </label>
          <label className="field">
            <span className="field-label">Role</span>
            <select value={filters.role} onChange={(e) => set({ role: e.target.value })}>
              <option value="">All roles</option>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {roleLabel(r)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">Tenant</span>
            <select value={filters.tenant} onChange={(e) => set({ tenant: e.target.value })}>
              <option value="">All tenants</option>
              {(tenants.data ?? []).map(([slug, name]) => (
                <option key={slug} value={slug}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">Status</span>
            <select value={filters.status} onChange={(e) => set({ status: e.target.value })}>
              <option value="">Any status</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
        </form>
      </search>
      {users.error ? (
        <ErrorNotice error={users.error} onRetry={users.reload} />
      ) : (
        <DataTable
          rows={(users.data?.items ?? []) as unknown as Row[]}
          columns={COLUMNS}
          caption={
            users.data
              ? `${users.data.total} ${users.data.total === 1 ? 'person' : 'people'}`
              : 'Loading people…'
          }
          sort={sort}
          sortable={SORTABLE}
          onSort={(s) => set({ sort: s.key, order: s.order })}
          page={filters.page}
          pageSize={PAGE_SIZE}
          total={users.data?.total ?? 0}
          onPage={(page) => setFilters((f) => ({ ...f, page }))}
          busy={users.loading}
          empty="Nobody matches these filters."
        />
      )}
    </section>
  );
}
