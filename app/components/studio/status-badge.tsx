// A scenario's status as a small label (text, not colour alone, carries the meaning).
const styles = {
  draft: 'bg-slate-200 text-slate-900',
  published: 'bg-green-100 text-green-900',
  retired: 'bg-amber-100 text-amber-900',
} as const;

export function StatusBadge({ status }: { status: keyof typeof styles }) {
  return <span className={`inline-block rounded px-2 py-0.5 text-xs font-semibold ${styles[status]}`}>{status}</span>;
}
