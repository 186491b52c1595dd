// The exam simulation for `npm run bench`: many learners sitting the certification exam at once,
// each loading a question page and saving an answer every 30 s (as the exam page's autosave does),
// against a production server. Phase 1 holds a fixed number of real takers (target: 2,000 with p99
// under 150 ms and no error). Phase 2 finds the largest load held with p99 under 250 ms by shortening
// the 30 s period: the same takers acting k times as often are reported as k × as many takers (the
// server sees the same request rate and mix; only the number of open sessions stays at phase 1's).
import { performance } from 'node:perf_hooks';
import type { Kysely } from 'kysely';
import type { Database } from '~db/schema';
import { serializeSessionCookie } from '~/auth.server';
import { addDays, localDate } from '~/domain/calendar';
import { presentItemToLearner } from '~/domain/presentation';
import { loadAttempt } from '~/models/attempt.server';
import { getExam, startExamAttempt } from '~/models/exam.server';
import { defaultTrackId, enrol } from '~/models/learning.server';
import { createSession } from '~/models/session.server';

export interface Taker {
  cookie: string;
  attemptId: number;
  /** Questions this taker answers: the form fields a browser would post for each. */
  questions: { number: number; fields: Record<string, string>[] }[];
  seq: Map<number, number>;
}

/** `count` learners, each with an exam attempt open and a session; one password hash shared (argon2 is slow by design). */
export async function createTakers(db: Kysely<Database>, count: number, passwordHash: string): Promise<Taker[]> {
  const trackId = await defaultTrackId(db);
  const exam = await getExam(db, { examId: 'returns-refunds-certification' });
  if (!trackId || !exam) throw new Error('the track or the exam is not loaded');
  const start = addDays(localDate(new Date(), 'Asia/Shanghai'), -30);
  const now = new Date().toISOString();
  const takers: Taker[] = [];
  const batch = 200;
  for (let from = 0; from < count; from += batch) {
    const rows = Array.from({ length: Math.min(batch, count - from) }, (_, i) => ({
      email: `taker${from + i}@bench.test`,
      name: `Exam Taker ${from + i}`,
      password_hash: passwordHash,
      status: 'active' as const,
      created_at: now,
      updated_at: now,
    }));
    const users = await db.insertInto('users').values(rows).returning('id').execute();
    await db.insertInto('user_roles').values(users.map((u) => ({ user_id: u.id, role: 'learner' as const }))).execute();
    for (const { id: userId } of users) {
      await enrol(db, { userId, trackId, cohortId: null, startDate: start });
      const started = await startExamAttempt(db, { userId, exam });
      if (!started.ok) throw new Error(started.reason);
      const attempt = await loadAttempt(db, { attemptId: started.attemptId, userId, kind: 'exam' });
      const questions = (attempt?.scenarios ?? []).flatMap((s) => {
        const item = s.scenario.items.find((i) => i.id === s.items[0]?.key);
        if (!item || (item.type !== 'single' && item.type !== 'multiple' && item.type !== 'written')) return [];
        const shown = presentItemToLearner(item, s.seed);
        const base = { item: String(s.position), present: item.id };
        const fields =
          shown.type === 'single' || shown.type === 'multiple'
            ? shown.options.map((o) => ({ ...base, [`item.${item.id}`]: o.id }))
            : [1, 2, 3].map((n) => ({ ...base, [`item.${item.id}`]: `Draft ${n}: I have checked the tracking and the refund is on its way.` }));
        return [{ number: s.position + 1, fields }];
      });
      const token = await createSession(db, { userId, limits: { idleMinutes: 600, maxDays: 1 } });
      takers.push({ cookie: (await serializeSessionCookie(token)).split(';')[0] ?? '', attemptId: started.attemptId, questions, seq: new Map() });
    }
  }
  return takers;
}

export interface SimulationFigure {
  takers: number;
  periodSeconds: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Every taker, starting at a random point of the period, loads a question page and saves an answer
 * to it once per `periodMs`, for `durationMs`. Latency is measured per request, from send to body.
 */
export async function simulate(base: string, takers: readonly Taker[], args: { periodMs: number; durationMs: number; equivalentTakers?: number }): Promise<SimulationFigure> {
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + args.durationMs;
  const timed = async (request: () => Promise<Response>) => {
    const t0 = performance.now();
    try {
      const response = await request();
      const text = await response.text();
      latencies.push(performance.now() - t0);
      if (!response.ok) {
        errors++;
        return null;
      }
      return text;
    } catch {
      latencies.push(performance.now() - t0);
      errors++;
      return null;
    }
  };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const run = async (taker: Taker) => {
    await sleep(Math.random() * args.periodMs);
    let turn = 0;
    while (performance.now() < end) {
      const next = performance.now() + args.periodMs;
      const question = taker.questions[turn % taker.questions.length];
      if (question) {
        await timed(() => fetch(`${base}/exam/attempts/${taker.attemptId}?item=${question.number}`, { headers: { Cookie: taker.cookie } }));
        const fields = question.fields[turn % question.fields.length]!;
        const seq = taker.seq.get(question.number) ?? 0;
        const body = await timed(() =>
          fetch(`${base}/exam/attempts/${taker.attemptId}/answers`, {
            method: 'POST',
            headers: { Cookie: taker.cookie, Origin: base, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
            body: new URLSearchParams({ ...fields, seq: String(seq) }),
          }),
        );
        const saved = body ? (JSON.parse(body) as { seq?: number }) : null;
        if (typeof saved?.seq === 'number') taker.seq.set(question.number, saved.seq);
      }
      turn++;
      await sleep(Math.max(0, next - performance.now()));
    }
  };
  const started = performance.now();
  await Promise.all(takers.map(run));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    takers: args.equivalentTakers ?? takers.length,
    periodSeconds: args.periodMs / 1000,
    seconds: round(seconds),
    requests: latencies.length,
    requestsPerSecond: round(latencies.length / seconds),
    p50: round(percentile(latencies, 50)),
    p95: round(percentile(latencies, 95)),
    p99: round(percentile(latencies, 99)),
    errors,
  };
}
