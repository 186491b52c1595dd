// Turning a loaded attempt into what the attempt page shows: the open case (public view only) or
// the review of a submitted one.
import { db } from '~/db.server';
import { presentItemToLearner, responseFromLearner, responseToLearner, toPublicCaseFile } from '~/domain/presentation';
import { reviewItem } from '~/domain/review';
import { gradeResponse, type AttemptScenario, type LoadedAttempt } from '~/models/attempt.server';
import { sectionLinks } from '~/models/handbook.server';

export function publicItems(scenario: AttemptScenario) {
  const saved = new Map(scenario.items.map((i) => [i.key, i.response]));
  return scenario.scenario.items.map((item) => presentItemToLearner(item, scenario.seed, saved.get(item.id) ?? null));
}

/** The case's saved answers in the choice ids its page uses (see presentItemToLearner). */
export function publicResponses(scenario: AttemptScenario): Record<string, unknown> {
  return Object.fromEntries(
    scenario.items.map((i) => {
      const item = scenario.scenario.items.find((x) => x.id === i.key);
      return [i.key, item ? responseToLearner(item, scenario.seed, i.response) : i.response];
    }),
  );
}

/** Answers read from the case's form, back in the scenario file's ids; or why one cannot be. */
export function responsesFromLearner(
  scenario: AttemptScenario,
  responses: Record<string, unknown>,
): { ok: true; responses: Record<string, unknown> } | { ok: false; reason: string } {
  const inFileIds: Record<string, unknown> = {};
  for (const [key, response] of Object.entries(responses)) {
    const item = scenario.scenario.items.find((i) => i.id === key);
    const mapped = item ? responseFromLearner(item, scenario.seed, response) : ({ ok: true, response } as const);
    if (!mapped.ok) return { ok: false, reason: `Answer to "${key}" not saved: ${mapped.reason}.` };
    inFileIds[key] = mapped.response;
  }
  return { ok: true, responses: inFileIds };
}

/** The case waiting for answers: its case file, its items as the learner may see them, saved answers. */
export async function answerView(attempt: LoadedAttempt, scenario: AttemptScenario) {
  const responses = publicResponses(scenario);
  return {
    mode: 'answer' as const,
    position: scenario.position,
    caseFile: toPublicCaseFile(scenario.scenario),
    policyLinks: await sectionLinks(db(), scenario.scenario.policies),
    items: publicItems(scenario),
    responses,
    caseCount: attempt.scenarios.length,
  };
}

/** A submitted case: every item with the learner's answer, the right one, feedback and explanation. */
export async function reviewView(attempt: LoadedAttempt, scenario: AttemptScenario) {
  const saved = new Map(scenario.items.map((i) => [i.key, i.response]));
  const reviews = scenario.scenario.items.map((item) => {
    const response = saved.get(item.id) ?? null;
    return reviewItem(item, scenario.seed, response, gradeResponse(item, scenario.seed, response));
  });
  const refs = [...scenario.scenario.policies, ...scenario.scenario.items.flatMap((i) => i.policies)];
  return {
    mode: 'review' as const,
    position: scenario.position,
    title: scenario.scenario.title,
    score: scenario.score,
    maxScore: scenario.maxScore,
    reviews,
    policyLinks: await sectionLinks(db(), refs),
    nextPosition: attempt.scenarios.find((s) => s.submittedAt === null)?.position ?? null,
    caseCount: attempt.scenarios.length,
  };
}
