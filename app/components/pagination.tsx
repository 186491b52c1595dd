import { Link, useLocation } from '@remix-run/react';

export function Pagination({ page, pageSize, total }: { page: number; pageSize: number; total: number }) {
  const location = useLocation();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  const hrefFor = (p: number) => {
    const params = new URLSearchParams(location.search);
    params.set('page', String(p));
    return `${location.pathname}?${params}`;
  };
  return (
    <nav aria-label="Pagination" className="mt-4 flex items-center gap-4">
      {page > 1 ? <Link to={hrefFor(page - 1)}>← Previous</Link> : null}
      <span>
        Page {page} of {pages}
      </span>
      {page < pages ? <Link to={hrefFor(page + 1)}>Next →</Link> : null}
    </nav>
  );
}

/** ?page= as a positive integer (1 when absent or invalid). */
export function pageFromUrl(url: string): number {
  const page = Number(new URL(url).searchParams.get('page'));
  return Number.isInteger(page) && page > 0 ? page : 1;
}
