import { type KeyboardEvent, type ReactNode, useRef } from 'react';

export interface TabItem<K extends string> {
  key: K;
  label: string;
}

/** An ARIA tab list: arrow keys, Home and End move between tabs; the chosen tab's panel follows. */
export function Tabs<K extends string>({
  label,
  tabs,
  current,
  onSelect,
  idPrefix,
  children,
}: {
  label: string;
  tabs: TabItem<K>[];
  current: K;
  onSelect: (key: K) => void;
  idPrefix: string;
  children: ReactNode;
}) {
  const list = useRef<HTMLDivElement>(null);
  const move = (event: KeyboardEvent) => {
    const index = tabs.findIndex((t) => t.key === current);
    const next =
      event.key === 'ArrowRight'
        ? (index + 1) % tabs.length
        : event.key === 'ArrowLeft'
          ? (index - 1 + tabs.length) % tabs.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? tabs.length - 1
              : -1;
    const tab = tabs[next];
    if (!tab) return;
    event.preventDefault();
    onSelect(tab.key);
    list.current?.querySelector<HTMLButtonElement>(`#${idPrefix}-tab-${tab.key}`)?.focus();
  };
  return (
    <div className="tabs">
      <div className="tab-list" role="tablist" aria-label={label} ref={list} onKeyDown={move}>
        {tabs.map((t) => (
          <button
            key={t.key}
            id={`${idPrefix}-tab-${t.key}`}
            type="button"
            role="tab"
            className="tab"
            aria-selected={t.key === current}
            aria-controls={`${idPrefix}-panel`}
            tabIndex={t.key === current ? 0 : -1}
            onClick={() => onSelect(t.key)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div
        id={`${idPrefix}-panel`}
        className="tab-panel"
        role="tabpanel"
        aria-labelledby={`${idPrefix}-tab-${current}`}
      >
        {children}
      </div>
    </div>
  );
}
