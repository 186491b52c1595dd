// The top of a learner's page: who they are, their cohort, and where they stand in a few words.
import { Link } from '@remix-run/react';
import { formatDate, formatDateTime } from '~/domain/calendar';
import type { LearnerExamSituation, LearnerProgress, ManagedLearner } from '~/models/manage.server';

type Tone = 'good' | 'warning' | 'bad' | 'neutral';
const toneClass: Record<Tone, string> = {
  good: 'border-green-700 bg-green-50 text-green-900',
  warning: 'border-amber-700 bg-amber-50 text-amber-900',
  bad: 'border-red-700 bg-red-50 text-red-800',
  neutral: 'border-slate-400 bg-slate-50 text-slate-800',
};

interface Props {
  learner: ManagedLearner;
  progress: LearnerProgress | null;
  situation: Pick<LearnerExamSituation, 'exam' | 'attempts' | 'eligibility' | 'openAttempt' | 'certifications'>;
  timeZone: string;
}

/** Where the learner stands, most telling first: certification, exam, then schedule. */
export function statusSummary({ learner, progress, situation, timeZone }: Props): { label: string; tone: Tone }[] {
  const when = (iso: string) => formatDateTime(iso, timeZone);
  const status: { label: string; tone: Tone }[] = [];
  if (learner.status === 'disabled') status.push({ label: 'Account disabled', tone: 'bad' });
  const latest = situation.certifications[0];
  if (latest?.status === 'valid') status.push({ label: `Certified until ${when(latest.expires_at)}`, tone: 'good' });
  else if (latest?.status === 'revoked') status.push({ label: 'Certification revoked', tone: 'bad' });
  else if (latest?.status === 'expired') status.push({ label: `Certification expired ${when(latest.expires_at)}`, tone: 'warning' });

  const { eligibility } = situation;
  const lastAttempt = situation.attempts.find((a) => a.counted && a.status === 'submitted');
  if (situation.openAttempt) status.push({ label: 'Exam in progress', tone: 'neutral' });
  else if (lastAttempt && lastAttempt.passed === null) status.push({ label: 'Exam awaiting review', tone: 'neutral' });
  else if (eligibility && lastAttempt?.passed === false && latest?.status !== 'valid') {
    if (eligibility.cooldownEndsAt) status.push({ label: `Failed the exam: next attempt from ${when(eligibility.cooldownEndsAt)}`, tone: 'warning' });
    else if (eligibility.attemptsLeft === 0) status.push({ label: 'Failed the exam: no attempts left', tone: 'bad' });
    else status.push({ label: `Failed the exam: ${eligibility.attemptsLeft} ${eligibility.attemptsLeft === 1 ? 'attempt' : 'attempts'} left`, tone: 'warning' });
  }
  if (eligibility?.eligible && !situation.openAttempt) status.push({ label: 'Eligible for the exam', tone: 'good' });

  if (!progress) status.push({ label: 'Not enrolled', tone: 'neutral' });
  else if (latest?.status !== 'valid') {
    if (progress.position.kind === 'not-started') status.push({ label: `Starts on ${formatDate(progress.position.startsOn)}`, tone: 'neutral' });
    else if (progress.lessonsOverdue > 0) {
      status.push({ label: `Behind: ${progress.lessonsOverdue} ${progress.lessonsOverdue === 1 ? 'lesson' : 'lessons'} overdue`, tone: 'warning' });
    } else if (progress.position.kind === 'in-progress') status.push({ label: 'On track', tone: 'good' });
  }
  return status;
}

export function LearnerHeader(props: Props) {
  const { learner, progress, timeZone } = props;
  return (
    <header>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link to="/manage">Learners</Link>
      </nav>
      <h1 className="text-3xl font-bold break-words">{learner.name}</h1>
      <p className="break-words text-slate-700">
        <a href={`mailto:${learner.email}`}>{learner.email}</a> · {learner.cohortName ? `Cohort ${learner.cohortName}` : 'No cohort'}
        {progress ? ` · ${progress.trackTitle}` : ''}
      </p>
      <p className="text-sm text-slate-700">
        {learner.lastActiveAt ? `Last active ${formatDateTime(learner.lastActiveAt, timeZone)}` : 'Not active yet'} · Times shown in {timeZone}
      </p>
      <ul aria-label="Status" className="mt-3 flex flex-wrap gap-2">
        {statusSummary(props).map((s) => (
          <li key={s.label} className={`rounded border-l-4 px-3 py-1 text-sm font-semibold ${toneClass[s.tone]}`}>
            {s.label}
          </li>
        ))}
      </ul>
    </header>
  );
}
