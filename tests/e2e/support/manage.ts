// The manager's view in the browser: learners put in a state directly in the main e2e server's
// database (an exam failed then passed and certified, days without activity), the roster read as a
// person sees it, and the exported CSV read as a spreadsheet would (its own RFC 4180 reader, so the
// app's writer is not checked against the app's own parser).
import { writeFile } from 'node:fs/promises';
import { expect, type Page } from '@playwright/test';
import { writeTransaction } from '~db/connect';
import { issueCertification } from '~/models/certification.server';
import { createCohort } from '~/models/cohort.server';
import { certificationExam, mainDb } from './exam';
import { todayInShanghai } from './fixtures';

const DAY_MS = 86_400_000;

/** A name no other test uses, so a search for it finds only this test's rows. */
export function uniqueName(prefix: string): string {
  return `${prefix} ${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
}

/** An empty cohort managed by `managerId`, starting `daysAgo` days ago (Asia/Shanghai). */
export async function emptyCohort(args: { managerId: number; name: string; daysAgo?: number }) {
  return createCohort(mainDb(), {
    name: args.name,
    startDate: todayInShanghai(-(args.daysAgo ?? 0)),
    timeZone: 'Asia/Shanghai',
    managerIds: [args.managerId],
    actorId: null,
  });
}

/** Writes a CSV file (CRLF line ends, as spreadsheets save them) and returns its path. */
export async function writeCsvFile(path: string, lines: readonly string[]): Promise<string> {
  await writeFile(path, `${lines.join('\r\n')}\r\n`, 'utf8');
  return path;
}

/** The learner was last active `days` days (and a minute) ago. */
export async function lastActiveDaysAgo(userId: number, days: number) {
  const at = new Date(Date.now() - days * DAY_MS - 60_000).toISOString();
  await mainDb().updateTable('users').set({ last_active_at: at }).where('id', '=', userId).execute();
}

/**
 * Two graded exam attempts, the first failed (50 of 100) and the second passed (90 of 100) a day and
 * more later, and the certification the pass earned.
 */
export async function failedThenCertified(userId: number) {
  const exam = await certificationExam();
  const ago = (days: number, minutes = 0) => new Date(Date.now() - days * DAY_MS + minutes * 60_000).toISOString();
  const attempt = (args: { startedDaysAgo: number; score: number; passed: boolean }) => {
    const started = ago(args.startedDaysAgo);
    const submitted = ago(args.startedDaysAgo, 40);
    return {
      user_id: userId,
      kind: 'exam' as const,
      quiz_id: null,
      exam_id: exam.id,
      seed: 1,
      status: 'submitted' as const,
      started_at: started,
      submitted_at: submitted,
      graded_at: submitted,
      deadline_at: ago(args.startedDaysAgo, 90),
      score: args.score,
      max_score: 100,
      passed: args.passed ? 1 : 0,
    };
  };
  return writeTransaction(mainDb(), async (trx) => {
    await trx.insertInto('attempts').values(attempt({ startedDaysAgo: 3, score: 50, passed: false })).execute();
    const passed = await trx.insertInto('attempts').values(attempt({ startedDaysAgo: 1, score: 90, passed: true })).returning('id').executeTakeFirstOrThrow();
    return issueCertification(trx, {
      userId,
      exam: { id: exam.id, trackId: exam.trackId, queue: exam.queue, validityDays: exam.blueprint.validityDays },
      attemptId: passed.id,
      now: new Date(ago(1, 40)),
    });
  });
}

export interface RosterLine {
  name: string;
  email: string;
  status: string;
  reasons: string[];
}

/** The roster table's rows as the page shows them (name, email, status badge, at-risk reasons). */
export async function rosterLines(page: Page): Promise<RosterLine[]> {
  const rows = page.getByRole('region', { name: /^Learners, sorted by/ }).locator('tbody tr');
  return rows.evaluateAll((trs) =>
    trs.map((tr) => {
      const text = (el: Element | null | undefined) => (el?.textContent ?? '').trim();
      // Columns: name (row header), cohort, day, lessons, quiz bests, status, last active.
      const status = tr.querySelectorAll('td')[4];
      return {
        name: text(tr.querySelector('th a')),
        email: text(tr.querySelector('th div')),
        status: text(status?.querySelector('span')),
        reasons: [...(status?.querySelectorAll('li') ?? [])].map((li) => text(li)),
      };
    }),
  );
}

/** RFC 4180: quoted fields, doubled quotes, commas and line breaks inside quotes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i += 1;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (quoted) throw new Error('the CSV ends inside a quoted field');
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** The exported roster as objects keyed by the header row; it must begin with a BOM (for Excel). */
export function readRosterCsv(text: string): Record<string, string>[] {
  expect(text.charCodeAt(0), 'the CSV begins with a byte-order mark').toBe(0xfeff);
  const [header, ...rows] = parseCsv(text.slice(1));
  if (!header) throw new Error('the CSV has no header row');
  for (const row of rows) expect(row, `a CSV row has as many fields as the header: ${JSON.stringify(row)}`).toHaveLength(header.length);
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ''])));
}

/** The CSV's rows in the roster's terms, to compare with rosterLines. */
export function csvLines(rows: readonly Record<string, string>[]): RosterLine[] {
  return rows.map((r) => ({
    name: r.Name ?? '',
    email: r.Email ?? '',
    status: r.Status ?? '',
    reasons: r['At-risk reasons'] ? (r['At-risk reasons'] ?? '').split('; ') : [],
  }));
}
