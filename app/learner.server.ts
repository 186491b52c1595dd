// Loads everything a learner page needs to know about where the learner stands today.
import { requireRole } from '~/auth.server';
import { db } from '~/db.server';
import { formatDate } from '~/domain/calendar';
import { lessonStates, trackPosition, type LessonState } from '~/domain/schedule';
import { env } from '~/env.server';
import { completedLessonIds, getEnrolment, getTrackOutline } from '~/models/learning.server';

export type LessonStateView =
  | { status: 'completed' }
  | { status: 'available' }
  | { status: 'locked'; opensOn: string | null; waitingFor: { id: string; title: string }[] };

/** The signed-in learner, their enrolment, the track and each lesson's state; null when not enrolled. */
export async function requireLearnerContext(request: Request, now = new Date()) {
  const user = await requireRole(request, 'learner');
  const enrolment = await getEnrolment(db(), { userId: user.id, defaultTimeZone: env().DEFAULT_TIME_ZONE });
  const outline = enrolment ? await getTrackOutline(db(), { trackId: enrolment.trackId }) : null;
  if (!enrolment || !outline) return { user, enrolment: null, outline: null, states: null, completed: null, position: null } as const;
  const completed = await completedLessonIds(db(), { userId: user.id });
  const states = lessonStates(outline.lessons, enrolment, completed, now);
  const position = trackPosition(enrolment, outline.days, now);
  return { user, enrolment, outline, states, completed, position };
}

export function describeState(state: LessonState | undefined, titles: ReadonlyMap<string, string>): LessonStateView {
  if (!state || state.status !== 'locked') return state ?? { status: 'available' };
  return {
    status: 'locked',
    opensOn: state.opensOn ? formatDate(state.opensOn) : null,
    waitingFor: state.waitingFor.map((id) => ({ id, title: titles.get(id) ?? id })),
  };
}
