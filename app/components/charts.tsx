// Charts without a chart library: horizontal bars drawn with CSS, readable on a phone (the label sits
// above its bar on narrow screens). Every chart has a heading and a one-line summary, its bars are a
// list whose labels and values are text (so a screen reader reads the numbers, not a picture), and
// the full figures are a real <table> under "Show the numbers".
import type { ReactNode } from 'react';

export interface Bar {
  key: string;
  label: string;
  value: number;
  /** What is written beside the bar, e.g. "96 (80%)". */
  valueText: string;
}

export interface ChartTable {
  caption: string;
  /** Column headings; the first heads the row headers. */
  columns: string[];
  rows: { key: string; header: ReactNode; cells: ReactNode[] }[];
  /** A totals row, shown last. */
  footer?: { header: ReactNode; cells: ReactNode[] };
  /** Cells are text, not figures: aligned left. */
  text?: boolean;
}

export function ChartSection({ id, title, summary, children }: { id: string; title: string; summary: ReactNode; children?: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-title`} className="mb-6 rounded bg-white p-4 shadow">
      <h2 id={`${id}-title`} className="mb-1 text-xl font-semibold">
        {title}
      </h2>
      <p className="mb-4 text-slate-700">{summary}</p>
      {children}
    </section>
  );
}

/**
 * Horizontal bars, longest = `max` (by default the largest value). `label` names the list for
 * screen readers. Values of 0 draw no bar but keep their row and number.
 */
export function BarChart({ label, bars, max }: { label: string; bars: Bar[]; max?: number }) {
  const top = max ?? Math.max(0, ...bars.map((b) => b.value));
  return (
    <ul aria-label={label} className="space-y-3 sm:space-y-2">
      {bars.map((bar) => {
        const width = top > 0 ? Math.max(0, Math.min(100, (bar.value / top) * 100)) : 0;
        return (
          // Fixed label and value columns, so every bar of a chart starts and ends at the same place.
          <li key={bar.key} className="grid grid-cols-[1fr_8rem] items-center gap-x-3 gap-y-1 sm:grid-cols-[14rem_1fr_10rem]">
            <span className="col-span-2 text-sm text-slate-900 sm:col-span-1">{bar.label}</span>
            <span aria-hidden="true" className="h-4 w-full rounded bg-slate-200">
              <span className="block h-4 rounded bg-brand-600" style={{ width: `${width}%`, minWidth: bar.value > 0 ? '2px' : 0 }} />
            </span>
            <span className="text-right text-sm font-medium tabular-nums text-slate-900 sm:text-left">{bar.valueText}</span>
          </li>
        );
      })}
    </ul>
  );
}

/** The chart's figures as a table, folded under "Show the numbers". */
export function NumbersTable({ table }: { table: ChartTable }) {
  return (
    <details className="mt-4">
      <summary className="cursor-pointer font-medium text-brand-700">Show the numbers</summary>
      <div className="relative mt-2 overflow-x-auto">
        <DataTable table={table} />
      </div>
    </details>
  );
}

export function DataTable({ table }: { table: ChartTable }) {
  const align = table.text ? '' : 'text-right tabular-nums';
  return (
    <table className="w-full text-left text-sm">
      <caption className="sr-only">{table.caption}</caption>
      <thead className="bg-slate-100">
        <tr>
          {table.columns.map((c, i) => (
            <th key={c} scope="col" className={`px-2 py-2 sm:px-3 ${i > 0 && !table.text ? 'text-right' : ''}`}>
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {table.rows.map((row) => (
          <tr key={row.key} className="border-t border-slate-200">
            <th scope="row" className="px-2 py-2 sm:px-3 font-normal">
              {row.header}
            </th>
            {row.cells.map((cell, i) => (
              <td key={i} className={`px-2 py-2 sm:px-3 ${align}`}>
                {cell}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
      {table.footer ? (
        <tfoot>
          <tr className="border-t-2 border-slate-300 font-semibold">
            <th scope="row" className="px-2 py-2 sm:px-3">
              {table.footer.header}
            </th>
            {table.footer.cells.map((cell, i) => (
              <td key={i} className={`px-2 py-2 sm:px-3 ${align}`}>
                {cell}
              </td>
            ))}
          </tr>
        </tfoot>
      ) : null}
    </table>
  );
}

/** A funnel is bars measured against its first step. */
export function Funnel({ label, steps }: { label: string; steps: Bar[] }) {
  return <BarChart label={label} bars={steps} max={steps[0]?.value ?? 0} />;
}
