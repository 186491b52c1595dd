// A learner who has done everything the exam asks for: enrolled 30 days ago, every lesson complete
// and each weekly practice quiz passed (written straight into the tables, as the learner would have).
import { db } from '~/db.server';
import { dateFromToday, enrolLearner } from './fixtures';

export async function makeEligible(userId: number, args: { daysAgo?: number } = {}) {
  await enrolLearner(userId, { startDate: dateFromToday(-(args.daysAgo ?? 30)) });
  const lessons = await db().selectFrom('lessons').select('id').where('retired_at', 'is', null).execute();
  const at = new Date().toISOString();
  await db()
    .insertInto('lesson_completions')
    .values(lessons.map((l) => ({ user_id: userId, lesson_id: l.id, completed_at: at })))
    .execute();
  const quizzes = await db().selectFrom('quizzes').select('id').where('retired_at', 'is', null).execute();
  for (const quiz of quizzes) {
    await db()
      .insertInto('attempts')
      .values({ user_id: userId, kind: 'practice', quiz_id: quiz.id, seed: 1, status: 'submitted', started_at: at, submitted_at: at, score: 10, max_score: 10, passed: 1 })
      .execute();
  }
}
