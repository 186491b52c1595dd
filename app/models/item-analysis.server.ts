// Item analysis of an exam from its graded attempts: the score matrix (attempt × item) for the pure
// statistics in domain/item-analysis.ts, and how often each option of a choice item was chosen.
// An item is the same item across attempts when its scenario and item key are (whatever version).
import type { Executor } from '~db/connect';
import type { ScenarioItem } from '~/content/scenario-schema';
import {
  analyseExam,
  optionFrequencies,
  type AttemptScores,
  type ItemStatistics,
  type OptionFrequency,
  type TestStatistics,
} from '~/domain/item-analysis';
import { itemRef } from '~/domain/exam-draw';
import { scenarioVersions } from './attempt.server';

export type AttemptSelection = 'first' | 'all';

export interface AnalysableExam {
  id: string;
  title: string;
  retired: boolean;
}

export async function listAnalysableExams(db: Executor): Promise<AnalysableExam[]> {
  const rows = await db.selectFrom('exams').select(['id', 'title', 'retired_at']).orderBy('title').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, title: r.title, retired: r.retired_at !== null }));
}

/**
 * The graded attempts analysed: every one, or each learner's first (Moodle's default: later attempts
 * build on the first and break the assumptions of item analysis).
 */
export async function gradedExamAttempts(db: Executor, args: { examId: string; attempts: AttemptSelection }) {
  const rows = await db
    .selectFrom('attempts')
    .select(['id', 'user_id', 'score', 'max_score', 'passed'])
    .where('kind', '=', 'exam')
    .where('exam_id', '=', args.examId)
    .where('status', '=', 'submitted')
    .where('graded_at', 'is not', null)
    .orderBy('started_at')
    .orderBy('id')
    .execute();
  if (args.attempts === 'all') return rows;
  const seen = new Set<number>();
  return rows.filter((r) => (seen.has(r.user_id) ? false : (seen.add(r.user_id), true)));
}

export interface AnalysedItem extends ItemStatistics {
  scenarioId: string;
  scenarioTitle: string;
  itemKey: string;
  type: ScenarioItem['type'];
  prompt: string;
  points: number;
  /** Choice items: each option (texts of the newest version seen) with how often it was chosen. */
  choices: { options: OptionFrequency[]; blank: number; total: number } | null;
}

export interface ExamAnalysis {
  attempts: number;
  learners: number;
  test: TestStatistics;
  items: AnalysedItem[];
}

const CHUNK = 400;

async function attemptItemRows(db: Executor, attemptIds: readonly number[]) {
  const rows = [];
  for (let i = 0; i < attemptIds.length; i += CHUNK) {
    const chunk = attemptIds.slice(i, i + CHUNK);
    rows.push(
      ...(await db
        .selectFrom('attempt_items')
        .innerJoin('attempt_scenarios', (join) =>
          join.onRef('attempt_scenarios.attempt_id', '=', 'attempt_items.attempt_id').onRef('attempt_scenarios.position', '=', 'attempt_items.scenario_position'),
        )
        .innerJoin('scenario_versions', 'scenario_versions.id', 'attempt_scenarios.scenario_version_id')
        .select([
          'attempt_items.attempt_id',
          'attempt_items.scenario_position as position',
          'attempt_items.item_key',
          'attempt_items.score',
          'attempt_items.max_score',
          'attempt_items.response',
          'attempt_scenarios.scenario_version_id as version_id',
          'scenario_versions.scenario_id',
        ])
        .where('attempt_items.attempt_id', 'in', chunk)
        .execute()),
    );
  }
  return rows;
}

function parseResponse(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** The item analysis of an exam over first (default) or all graded attempts. */
export async function analyseExamItems(db: Executor, args: { examId: string; attempts: AttemptSelection }): Promise<ExamAnalysis> {
  const attempts = await gradedExamAttempts(db, args);
  const rows = attempts.length > 0 ? await attemptItemRows(db, attempts.map((a) => a.id)) : [];
  const bodies = await scenarioVersions(db, [...new Set(rows.map((r) => r.version_id))]);

  const matrix = new Map<number, AttemptScores & { items: AttemptScores['items'][number][] }>();
  // Per item: the newest version it was drawn from (its texts are shown) and every response to it.
  const items = new Map<string, { scenarioId: string; itemKey: string; versionId: number; responses: unknown[] }>();
  for (const attempt of attempts) matrix.set(attempt.id, { attemptId: attempt.id, items: [] });
  for (const row of rows) {
    const itemId = itemRef({ scenarioId: row.scenario_id, itemKey: row.item_key });
    matrix.get(row.attempt_id)?.items.push({ itemId, position: row.position, score: row.score ?? 0, max: row.max_score ?? 0 });
    const entry = items.get(itemId) ?? { scenarioId: row.scenario_id, itemKey: row.item_key, versionId: row.version_id, responses: [] };
    entry.versionId = Math.max(entry.versionId, row.version_id);
    entry.responses.push(parseResponse(row.response));
    items.set(itemId, entry);
  }

  const analysis = analyseExam([...matrix.values()]);
  const analysed: AnalysedItem[] = analysis.items.flatMap((stats) => {
    const entry = items.get(stats.itemId);
    const scenario = entry ? bodies.get(entry.versionId) : undefined;
    const item = scenario?.items.find((i) => i.id === entry?.itemKey);
    if (!entry || !scenario || !item) return [];
    const choices =
      item.type === 'single' || item.type === 'multiple'
        ? optionFrequencies(item.options.map((o) => ({ id: o.id, text: o.text, correct: o.correct })), entry.responses)
        : null;
    return [{ ...stats, scenarioId: entry.scenarioId, scenarioTitle: scenario.title, itemKey: item.id, type: item.type, prompt: item.prompt, points: item.points, choices }];
  });
  return { attempts: attempts.length, learners: new Set(attempts.map((a) => a.user_id)).size, test: analysis.test, items: analysed };
}
