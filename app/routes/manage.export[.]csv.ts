// The roster as CSV, with the same filters and sort as /manage (as query parameters). Streamed: the
// BOM and the header go out at once and the rows follow in batches of 1,000, so a long export starts
// downloading before its last rows are read.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { requireRole } from '~/auth.server';
import { db } from '~/db.server';
import { localDate } from '~/domain/calendar';
import { CSV_BOM, csvLine, type CsvValue } from '~/domain/csv';
import { atRiskReasonText, statusText } from '~/domain/learner-status';
import { env } from '~/env.server';
import { rosterQueryFromUrl, rosterRows, type RosterRow } from '~/models/roster.server';

function header(weeks: readonly number[]): CsvValue[] {
  return [
    'Name',
    'Email',
    'Cohort',
    'Day in track',
    'Lessons done',
    'Lessons total',
    ...weeks.map((w) => `Week ${w} quiz best %`),
    'Status',
    'At-risk reasons',
    'Certified until',
    'Last activity',
  ];
}

function record(row: RosterRow, weeks: readonly number[], timeZone: string): CsvValue[] {
  const date = (iso: string) => localDate(new Date(iso), timeZone);
  return [
    row.name,
    row.email,
    row.cohortName,
    row.trackDay,
    row.lessonsDone,
    row.lessonsTotal,
    ...weeks.map((w) => row.quizzes.find((q) => q.week === w)?.bestPercent ?? null),
    statusText(row.status, date),
    row.atRiskReasons.map(atRiskReasonText).join('; '),
    row.certifiedUntil ? date(row.certifiedUntil) : null,
    row.lastActiveAt,
  ];
}

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, ['manager', 'admin']);
  const { filters, sort } = rosterQueryFromUrl(request.url);
  const timeZone = env().DEFAULT_TIME_ZONE;
  const now = new Date();
  const { weeks, batches } = await rosterRows(db(), { viewer, filters, sort, now, defaultTimeZone: timeZone });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(CSV_BOM + csvLine(header(weeks))));
    },
    async pull(controller) {
      const next = await batches.next();
      if (next.done) {
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(next.value.map((row) => csvLine(record(row, weeks, timeZone))).join('')));
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="frontline-learners-${localDate(now, timeZone)}.csv"`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
