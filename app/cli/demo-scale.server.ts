// demo:scale — a synthetic volunteer programme at the size of a large company's: N learners in 40
// cohorts (20 managers, two cohorts each), at every stage of the track: lessons done week by week,
// practice quizzes passed after one to three tries, exam attempts (passed, failed, awaiting review),
// certifications (valid, expiring soon, expired, revoked) and a few excused weeks. About a hundred
// saved answers per learner: 10,000 learners make about a million. For benchmarks and demos of the
// manager view; the data is random but reproducible (a fixed seed), written straight into the tables
// in one transaction per 1,000 learners (fast, and the models' rules are not what is being shown here).
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { OpenDatabase } from '~db/connect';
import { formatContentError, loadContent } from '~/content/load.server';
import { addDays, localDate } from '~/domain/calendar';
import { env } from '~/env.server';
import { syncContent } from '~/models/content.server';
import { hashPassword } from '~/models/password.server';
import { CliError, parseOptions, type CliCommand } from './command.server';

const COHORTS = 40;
const MANAGERS = 20;
const DAY_MS = 86_400_000;

/** mulberry32: small, fast and the same everywhere, so a run can be reproduced. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function buildScaleProgramme(open: OpenDatabase, args: { learners: number; seed?: number; log?: (line: string) => void }) {
  const { sqlite } = open;
  const log = args.log ?? (() => undefined);
  const rnd = random(args.seed ?? 42);
  const now = new Date();
  const iso = (ms: number) => new Date(ms).toISOString();
  const at = now.toISOString();

  const run = sqlite.prepare('select count(*) as n from users where email like ?').get('%@scale.test') as { n: number };
  if (run.n > 0) throw new CliError('This database already holds a demo:scale programme (users @scale.test): use a fresh database.');

  const track = sqlite.prepare('select id from tracks limit 1').get() as { id: string } | undefined;
  const exam = sqlite.prepare("select id, queue from exams where retired_at is null limit 1").get() as { id: string; queue: string } | undefined;
  if (!track || !exam) throw new CliError('No track or exam is loaded: load content/ first.');
  const lessons = sqlite.prepare('select id, module_id from lessons where retired_at is null order by position').all() as { id: string; module_id: string }[];
  const modules = (sqlite.prepare('select id from modules where track_id = ? order by week').all(track.id) as { id: string }[]).map((m) => m.id);
  const quizzes = sqlite.prepare('select id, module_id from quizzes where retired_at is null').all() as { id: string; module_id: string }[];
  const items = sqlite.prepare('select scenario_version_id, item_key, points from scenario_items').all() as { scenario_version_id: number; item_key: string; points: number }[];
  const passwordHash = await hashPassword(`scale-${randomUUID()}`);

  const insert = {
    user: sqlite.prepare("insert into users (email, name, password_hash, status, created_at, updated_at, last_active_at) values (?, ?, ?, 'active', ?, ?, ?)"),
    role: sqlite.prepare('insert into user_roles (user_id, role) values (?, ?)'),
    cohort: sqlite.prepare('insert into cohorts (name, start_date, time_zone, created_at) values (?, ?, ?, ?)'),
    manager: sqlite.prepare('insert into cohort_managers (cohort_id, user_id) values (?, ?)'),
    enrolment: sqlite.prepare('insert into enrolments (user_id, track_id, cohort_id, start_date, enrolled_at) values (?, ?, ?, null, ?)'),
    completion: sqlite.prepare('insert into lesson_completions (user_id, lesson_id, completed_at) values (?, ?, ?)'),
    attempt: sqlite.prepare(
      "insert into attempts (user_id, kind, quiz_id, exam_id, seed, status, started_at, submitted_at, deadline_at, score, max_score, passed, graded_at) values (?, ?, ?, ?, 1, 'submitted', ?, ?, ?, ?, ?, ?, ?)",
    ),
    attemptCase: sqlite.prepare('insert into attempt_scenarios (attempt_id, position, scenario_version_id, submitted_at, score, max_score) values (?, ?, ?, ?, ?, ?)'),
    answer: sqlite.prepare("insert into attempt_items (attempt_id, scenario_position, item_key, position, response, saved_at, save_seq, score, max_score) values (?, ?, ?, ?, '{\"optionId\":\"a\"}', ?, 1, ?, ?)"),
    score: sqlite.prepare('update attempts set score = ?, max_score = ?, passed = ?, graded_at = ? where id = ?'),
    certification: sqlite.prepare(
      'insert into certifications (credential_id, user_id, exam_id, track_id, queue, attempt_id, issued_at, expires_at, revoked_at, revoke_reason) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    excusal: sqlite.prepare("insert into module_excusals (user_id, module_id, excused_by, reason, created_at) values (?, ?, null, 'Excused for a family event.', ?)"),
  };

  const zones = ['Asia/Shanghai', 'Europe/London', 'America/New_York', 'UTC'];
  const cohortIds: number[] = [];
  let answers = 0;
  sqlite.transaction(() => {
    for (let c = 0; c < COHORTS; c++) {
      // Cohorts started between 0 and 120 days ago: some are mid-track, some long finished.
      const start = addDays(localDate(now, 'UTC'), -Math.floor(rnd() * 120));
      cohortIds.push(Number(insert.cohort.run(`Scale cohort ${String(c + 1).padStart(2, '0')}`, start, zones[c % zones.length], at).lastInsertRowid));
    }
    for (let m = 0; m < MANAGERS; m++) {
      const id = Number(insert.user.run(`manager${m + 1}@scale.test`, `Scale Manager ${m + 1}`, passwordHash, at, at, at).lastInsertRowid);
      insert.role.run(id, 'manager');
      insert.manager.run(cohortIds[(2 * m) % COHORTS], id);
      insert.manager.run(cohortIds[(2 * m + 1) % COHORTS], id);
    }
  })();

  const batch = 1000;
  for (let from = 0; from < args.learners; from += batch) {
    sqlite.transaction(() => {
      for (let i = from; i < Math.min(args.learners, from + batch); i++) {
        const lastActive = now.getTime() - Math.floor(rnd() * 10 * DAY_MS);
        const id = Number(insert.user.run(`learner${i + 1}@scale.test`, `Scale Learner ${i + 1}`, passwordHash, at, at, iso(lastActive)).lastInsertRowid);
        insert.role.run(id, 'learner');
        insert.enrolment.run(id, track.id, cohortIds[i % COHORTS], at);
        // 0–4 weeks complete, and part of the next.
        const weeksDone = Math.floor(rnd() * 5);
        for (const lesson of lessons) {
          const week = modules.indexOf(lesson.module_id);
          if (week < weeksDone || (week === weeksDone && rnd() < 0.5)) insert.completion.run(id, lesson.id, iso(lastActive));
        }
        if (rnd() < 0.02 && modules[1]) insert.excusal.run(id, modules[1], at);
        for (const quiz of quizzes) {
          const week = modules.indexOf(quiz.module_id);
          if (week > weeksDone) continue;
          const tries = 1 + Math.floor(rnd() * 3);
          for (let t = 0; t < tries; t++) {
            const passed = week < weeksDone && t === tries - 1;
            const attemptId = Number(insert.attempt.run(id, 'practice', quiz.id, null, at, at, null, passed ? 14 : 8, 16, passed ? 1 : 0, at).lastInsertRowid);
            // Four cases of four questions, as the weekly quizzes have.
            for (let k = 0; k < 16; k++) {
              const item = items[Math.floor(rnd() * items.length)]!;
              if (k % 4 === 0) insert.attemptCase.run(attemptId, k / 4, item.scenario_version_id, at, null, null);
              insert.answer.run(attemptId, Math.floor(k / 4), `q${k}`, k % 4, at, rnd() < 0.7 ? 1 : 0, 1);
              answers++;
            }
          }
        }
        if (weeksDone < 4 || rnd() > 0.8) continue;
        // The exam: one or two sittings; 60 % pass; a few wait for a trainer.
        const sittings = 1 + Math.floor(rnd() * 2);
        for (let s = 0; s < sittings; s++) {
          const started = now.getTime() - Math.floor(rnd() * 200) * DAY_MS;
          const awaiting = rnd() < 0.03;
          const pass = !awaiting && rnd() < 0.6;
          const attemptId = Number(insert.attempt.run(id, 'exam', null, exam.id, iso(started), iso(started + 40 * 60_000), iso(started + 45 * 60_000), null, null, null, null).lastInsertRowid);
          let score = 0;
          let max = 0;
          for (let p = 0; p < 24; p++) {
            const item = items[Math.floor(rnd() * items.length)]!;
            insert.attemptCase.run(attemptId, p, item.scenario_version_id, null, null, null);
            const got = awaiting && p === 0 ? null : rnd() < (pass ? 0.9 : 0.55) ? item.points : 0;
            insert.answer.run(attemptId, p, item.item_key, 0, iso(started), got, item.points);
            answers++;
            score += got ?? 0;
            max += item.points;
          }
          if (awaiting) break;
          insert.score.run(score, max, pass ? 1 : 0, iso(started + 40 * 60_000), attemptId);
          if (pass) {
            const revoked = rnd() < 0.03;
            insert.certification.run(randomUUID(), id, exam.id, track.id, exam.queue, attemptId, iso(started), iso(started + 180 * DAY_MS), revoked ? at : null, revoked ? 'Shared a customer’s address in a public channel.' : null);
            break;
          }
        }
      }
    })();
    log(`  ${Math.min(args.learners, from + batch).toLocaleString('en-GB')} learners…`);
  }
  sqlite.exec('analyze');
  return { learners: args.learners, cohorts: COHORTS, managers: MANAGERS, answers };
}

export const demoScale: CliCommand = {
  name: 'demo:scale',
  usage: '--learners N [--seed S]',
  details: [
    'Builds a synthetic programme for benchmarks and demos: N learners (up to 100,000) in 40 cohorts with 20 managers,',
    'about a hundred saved answers each. Use a fresh database (e.g. DATABASE_URL=file:./data/scale.db).',
    'Managers sign in as managerN@scale.test; their password is random (reset it from /admin to try the app).',
  ],
  async run({ argv, database }) {
    const options = parseOptions(this, argv, { learners: { type: 'string' }, seed: { type: 'string' } });
    const learners = Number(options.learners);
    if (!options.learners || !Number.isInteger(learners) || learners < 1 || learners > 100_000) {
      throw new CliError('--learners must be a whole number from 1 to 100000, e.g. --learners 10000.');
    }
    const seed = options.seed === undefined ? 42 : Number(options.seed);
    if (!Number.isInteger(seed)) throw new CliError('--seed must be a whole number.');
    const open = await database();
    const loaded = loadContent(path.resolve(env().CONTENT_DIR));
    if (!loaded.ok) {
      for (const error of loaded.errors) console.error(formatContentError(error));
      throw new CliError('Content is invalid (see above): fix it first.');
    }
    await syncContent(open.db, loaded.content);
    const started = Date.now();
    console.log(`Building ${learners.toLocaleString('en-GB')} learners…`);
    const built = await buildScaleProgramme(open, { learners, seed, log: (line) => console.log(line) });
    console.log(
      `Done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${built.learners.toLocaleString('en-GB')} learners in ${built.cohorts} cohorts, ` +
        `${built.managers} managers, ${built.answers.toLocaleString('en-GB')} saved answers.`,
    );
  },
};
