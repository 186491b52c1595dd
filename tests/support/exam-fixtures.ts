// Exam attempts for integration tests, made directly through the models: a learner sits the
// certification exam and answers every drawn item right, wrong or not at all. Answers are worked out
// from the scenario version the attempt was drawn from (in the file's ids, as saveExamAnswer takes them).
import type { ScenarioItem } from '~/content/scenario-schema';
import { db } from '~/db.server';
import { drawExam, itemRef } from '~/domain/exam-draw';
import { bestPathPoints } from '~/domain/grading';
import { conclusionIdMap } from '~/domain/presentation';
import { loadAttempt } from '~/models/attempt.server';
import { examPool, getExam, gradeWrittenReply, saveExamAnswer, startExamAttempt, submitExamAttempt, type Exam } from '~/models/exam.server';

export const CERTIFICATION_EXAM = 'returns-refunds-certification';

export type AnswerMode = 'correct' | 'wrong' | 'blank';

export const DEFAULT_WRITTEN_REPLY =
  'I am sorry for the wait. I have checked your order: the refund was released today and reaches your card within 3–5 working days.';

type Item<T extends ScenarioItem['type']> = Extract<ScenarioItem, { type: T }>;

export async function certificationExam(examId = CERTIFICATION_EXAM): Promise<Exam> {
  const exam = await getExam(db(), { examId });
  if (!exam) throw new Error(`exam ${examId} is not loaded in the test database`);
  return exam;
}

/** The conversation path that takes the best option (or, for 'wrong', the worst safe one) at every step. */
function conversationPath(item: Item<'branching'>, mode: 'correct' | 'wrong') {
  const path: { stepId: string; optionId: string }[] = [];
  let stepId: string | undefined = item.start;
  while (stepId !== undefined && path.length < item.steps.length) {
    const step = item.steps.find((s) => s.id === stepId);
    if (!step) break;
    const value = (o: (typeof step.options)[number]) => o.points + (o.next ? bestPathPoints(item, o.next) : 0);
    const candidates = mode === 'wrong' && step.options.some((o) => !o.unsafe) ? step.options.filter((o) => !o.unsafe) : step.options;
    const chosen = candidates.reduce((pick, o) => ((mode === 'correct' ? value(o) > value(pick) : value(o) < value(pick)) ? o : pick));
    path.push({ stepId: step.id, optionId: chosen.id });
    stepId = chosen.next;
  }
  return { path };
}

/**
 * A response to `item` (null for none). `caseSeed` is the case's seed (AttemptScenario.seed): matching
 * conclusions have ids that depend on it. A wrong answer avoids unsafe choices where it can, so it
 * scores nothing without also being a critical failure.
 */
export function responseFor(item: ScenarioItem, caseSeed: number, mode: AnswerMode, writtenText = DEFAULT_WRITTEN_REPLY): unknown {
  if (mode === 'blank') return null;
  switch (item.type) {
    case 'single': {
      const wrong = item.options.filter((o) => !o.correct);
      const option = mode === 'correct' ? item.options.find((o) => o.correct) : (wrong.find((o) => !o.unsafe) ?? wrong[0]);
      if (!option) throw new Error(`single item ${item.id} has no ${mode} option`);
      return { optionId: option.id };
    }
    case 'multiple':
      return { optionIds: item.options.filter((o) => (mode === 'correct' ? o.correct : !o.correct && !o.unsafe)).map((o) => o.id) };
    case 'ordering': {
      const order = item.steps.map((s) => s.id);
      // Reversed, no neighbouring pair is in the right order: nothing earned.
      return { order: mode === 'correct' ? order : order.reverse() };
    }
    case 'matching': {
      const conclusions = [...conclusionIdMap(item, caseSeed)];
      const matches: Record<string, string> = {};
      for (const pair of item.pairs) {
        const found = conclusions.find(([, text]) => (mode === 'correct' ? text === pair.conclusion : text !== pair.conclusion));
        if (!found) throw new Error(`matching item ${item.id} has no ${mode} conclusion for ${pair.id}`);
        matches[pair.id] = found[0];
      }
      return { matches };
    }
    case 'branching':
      return conversationPath(item, mode);
    case 'written':
      return { text: writtenText };
  }
}

/** Item refs of the learner's earlier exam attempts: what startExamAttempt steers the draw away from. */
async function seenItemRefs(userId: number): Promise<string[]> {
  const rows = await db()
    .selectFrom('attempt_items')
    .innerJoin('attempts', 'attempts.id', 'attempt_items.attempt_id')
    .innerJoin('attempt_scenarios', (join) =>
      join.onRef('attempt_scenarios.attempt_id', '=', 'attempt_items.attempt_id').onRef('attempt_scenarios.position', '=', 'attempt_items.scenario_position'),
    )
    .innerJoin('scenario_versions', 'scenario_versions.id', 'attempt_scenarios.scenario_version_id')
    .select(['scenario_versions.scenario_id', 'attempt_items.item_key'])
    .where('attempts.user_id', '=', userId)
    .where('attempts.kind', '=', 'exam')
    .execute();
  return rows.map((r) => itemRef({ scenarioId: r.scenario_id, itemKey: r.item_key }));
}

/** The first seed from `from` whose draw for this learner holds a written item. */
export async function seedWithWrittenItem(args: { userId: number; exam: Exam; from?: number }): Promise<number> {
  const [pool, seen] = await Promise.all([examPool(db()), seenItemRefs(args.userId)]);
  const start = args.from ?? 1;
  for (let seed = start; seed < start + 500; seed++) {
    const draw = drawExam({ blueprint: args.exam.blueprint, pool, seed, seenItemKeys: seen });
    if (draw.ok && draw.items.some((i) => i.type === 'written')) return seed;
  }
  throw new Error('no seed in 500 draws an exam with a written item');
}

export interface SatItem {
  position: number;
  itemId: string;
  type: ScenarioItem['type'];
  item: ScenarioItem;
  scenarioTitle: string;
  /** What was saved (null: left unanswered). */
  response: unknown;
}

export interface SatExam {
  attemptId: number;
  seed: number;
  items: SatItem[];
  /** Positions of the written items that hold a reply (they wait for a trainer once submitted). */
  writtenPositions: number[];
}

/**
 * Starts the certification exam for `userId`, saves an answer to every item and (unless
 * `submit: false`) submits it. `writtenText`: the written replies, whatever `answer` is (null leaves
 * them empty; by default a sensible reply, or none when `answer` is 'blank'). `withWritten` picks a
 * seed whose draw holds a written item. `answerFor` overrides the mode item by item.
 */
export async function sitExam(args: {
  userId: number;
  answer: AnswerMode;
  writtenText?: string | null;
  seed?: number;
  withWritten?: boolean;
  submit?: boolean;
  now?: Date;
  exam?: Exam;
  answerFor?: (item: ScenarioItem, position: number) => AnswerMode | undefined;
}): Promise<SatExam> {
  const exam = args.exam ?? (await certificationExam());
  const seed = args.seed ?? (args.withWritten ? await seedWithWrittenItem({ userId: args.userId, exam }) : 1);
  const started = await startExamAttempt(db(), { userId: args.userId, exam, seed, now: args.now });
  if (!started.ok) throw new Error(started.reason);
  if (started.resumed) throw new Error(`user ${args.userId} already has an exam attempt in progress (${started.attemptId})`);
  const attempt = await loadAttempt(db(), { attemptId: started.attemptId, userId: args.userId, kind: 'exam' });
  if (!attempt) throw new Error(`attempt ${started.attemptId} did not load`);

  const items: SatItem[] = [];
  for (const drawn of attempt.scenarios) {
    const key = drawn.items[0]?.key;
    const item = drawn.scenario.items.find((i) => i.id === key);
    if (!item) throw new Error(`attempt ${attempt.id} position ${drawn.position} holds no item`);
    const override = args.answerFor?.(item, drawn.position);
    const written = item.type === 'written' && override === undefined && args.writtenText !== undefined;
    const response = written
      ? (args.writtenText === null ? null : { text: args.writtenText })
      : responseFor(item, drawn.seed, override ?? args.answer, args.writtenText ?? undefined);
    if (response !== null) {
      const saved = await saveExamAnswer(db(), { attemptId: attempt.id, userId: args.userId, position: drawn.position, response, seq: 0, now: args.now });
      if (!saved.ok) throw new Error(`answer to ${item.id} (${item.type}) at position ${drawn.position} not saved: ${saved.reason}`);
    }
    items.push({ position: drawn.position, itemId: item.id, type: item.type, item, scenarioTitle: drawn.scenario.title, response });
  }
  const writtenPositions = items.filter((i) => i.type === 'written' && i.response !== null).map((i) => i.position);
  if (args.withWritten && writtenPositions.length === 0) throw new Error(`seed ${seed} drew no written item (or it was left empty)`);
  if (args.submit !== false) {
    const result = await submitExamAttempt(db(), { attemptId: attempt.id, userId: args.userId, now: args.now });
    if (!result.submitted) throw new Error(`attempt ${attempt.id} was not submitted`);
  }
  return { attemptId: attempt.id, seed, items, writtenPositions };
}

/** The points of the highest (or lowest) level of each rubric criterion, in rubric order. */
export function rubricLevels(item: ScenarioItem, pick: 'top' | 'bottom'): number[] {
  if (item.type !== 'written') throw new Error(`${item.id} is a ${item.type} item, not a written one`);
  return item.rubric.map((c) => (pick === 'top' ? Math.max : Math.min)(...c.levels.map((l) => l.points)));
}

/** A trainer grades every written reply of a submitted attempt at the top (or bottom) of the rubric. */
export async function gradeWrittenReplies(sat: SatExam, args: { graderId: number; pick: 'top' | 'bottom'; now?: Date }) {
  const results = [];
  for (const position of sat.writtenPositions) {
    const item = sat.items.find((i) => i.position === position)?.item;
    if (!item) throw new Error(`no item at position ${position}`);
    const result = await gradeWrittenReply(db(), { attemptId: sat.attemptId, position, graderId: args.graderId, levels: rubricLevels(item, args.pick), comment: '', now: args.now });
    if (!result.ok) throw new Error(`reply at position ${position} not graded: ${result.reason}`);
    results.push(result);
  }
  return results;
}
