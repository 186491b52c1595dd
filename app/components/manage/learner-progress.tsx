// "Progress" on a learner's page: day of the track, lessons done and the practice quiz's best score
// week by week, excused weeks; and the acts on the schedule (extend it, excuse or un-excuse a week).
import { Field, SelectField } from '~/components/forms';
import { formatDate, formatDateTime } from '~/domain/calendar';
import { EXTEND_DAYS } from '~/forms/manage';
import type { LearnerProgress as Progress } from '~/models/manage.server';
import { ActForm, sectionClass, type Acts } from './act-form';

function where(progress: Progress): string {
  const { position } = progress;
  if (position.kind === 'not-started') return `Not started: day 1 is ${formatDate(position.startsOn)} (in ${position.daysToGo} ${position.daysToGo === 1 ? 'day' : 'days'}).`;
  if (position.kind === 'finished') return `Past the end of the ${position.of}-day track (today would be day ${position.day}).`;
  return `Day ${position.day} of ${position.of}.`;
}

function quizText(quiz: Progress['weeks'][number]['quiz']): string {
  if (!quiz) return 'None this week';
  if (quiz.attempts === 0) return `Not attempted (pass mark ${quiz.passMark}%)`;
  const attempts = `${quiz.attempts} ${quiz.attempts === 1 ? 'attempt' : 'attempts'}`;
  return `Best ${quiz.bestPercent ?? 0}%, ${quiz.passed ? 'passed' : 'not passed'} (pass mark ${quiz.passMark}%), ${attempts}`;
}

export function LearnerProgress({ progress, learnerName, acts, timeZone }: { progress: Progress | null; learnerName: string; acts: Acts; timeZone: string }) {
  if (!progress) {
    return (
      <section aria-labelledby="progress-heading" className={sectionClass}>
        <h2 id="progress-heading" className="mb-2 text-xl font-semibold">Progress</h2>
        <p className="text-slate-700">{learnerName} is not enrolled in a track with a start date yet.</p>
      </section>
    );
  }
  const excused = progress.weeks.filter((w) => w.excusal);
  const excusable = progress.weeks.filter((w) => !w.excusal);
  const extend = acts.mine('extend-schedule');
  const excuse = acts.mine('excuse-week');
  return (
    <section aria-labelledby="progress-heading" className={sectionClass}>
      <h2 id="progress-heading" className="mb-2 text-xl font-semibold">Progress</h2>
      <p className="mb-1 font-semibold">{where(progress)}</p>
      <p className="mb-3 text-sm text-slate-700">
        Day 1 is {formatDate(progress.startDate)} ({progress.personalStart ? 'a personal start date' : 'the cohort’s start date'}).
        {progress.lessonsOverdue > 0 ? ` ${progress.lessonsOverdue} ${progress.lessonsOverdue === 1 ? 'lesson' : 'lessons'} of the days so far not done yet.` : ''}
      </p>
      <ul className="grid gap-3 md:grid-cols-2" aria-label="Weeks of the track">
        {progress.weeks.map((w) => (
          <li key={w.moduleId} className={`rounded border p-3 ${w.excusal ? 'border-brand-700' : 'border-slate-300'}`}>
            <h3 className="font-semibold">
              Week {w.week}: {w.title}
            </h3>
            <p className="text-sm text-slate-700">Days {w.firstDay}–{w.lastDay}</p>
            <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 text-sm">
              <dt className="font-medium">Lessons</dt>
              <dd>{w.lessonsDone} of {w.lessonsTotal} done</dd>
              <dt className="font-medium">Quiz</dt>
              <dd>{quizText(w.quiz)}</dd>
              <dt className="font-medium">For the exam</dt>
              <dd>{w.excusal ? <strong>Excused</strong> : w.complete ? 'Complete' : 'Not complete'}</dd>
            </dl>
          </li>
        ))}
      </ul>

      {excused.length > 0 ? (
        <>
          <h3 className="mt-4 font-semibold">Excused weeks</h3>
          <ul className="space-y-3">
            {excused.map((w) => (
              <li key={w.moduleId} className="rounded border border-slate-300 p-3">
                <p>
                  <span className="font-semibold">Week {w.week}</span> excused by {w.excusal?.byName ?? 'someone no longer listed'}
                  {w.excusal ? ` on ${formatDateTime(w.excusal.at, timeZone)}` : ''}: {w.excusal?.reason}
                </p>
                <ActForm key={`unexcuse-${w.moduleId}-${acts.formKey}`} intent="unexcuse-week" title="Withdraw the excusal…" collapsed
                  actionData={acts.mine('unexcuse-week', { moduleId: w.moduleId })} button="Withdraw the excusal" danger hidden={{ moduleId: w.moduleId }}
                  confirm={`Yes: week ${w.week} counts for the exam again only once ${learnerName} has done its lessons and passed its quiz.`} />
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <div className="mt-4 grid gap-4 md:grid-cols-2">
        <ActForm key={`extend-schedule-${acts.formKey}`} intent="extend-schedule" title="Extend the schedule" actionData={extend} button="Extend the schedule"
          description={`Every lesson opens this many days later and the day of the track goes back by as much (today: day ${progress.day}). ${progress.personalStart ? '' : `${learnerName} then has a personal start date and no longer follows the cohort’s.`}`}>
          <Field label={`Days (${EXTEND_DAYS.min}–${EXTEND_DAYS.max})`} name="days" type="number" inputMode="numeric" min={EXTEND_DAYS.min} max={EXTEND_DAYS.max} required
            defaultValue={extend?.values.days ?? '7'} errors={extend?.errors.days} />
        </ActForm>
        {excusable.length > 0 ? (
          <ActForm key={`excuse-${acts.formKey}`} intent="excuse-week" title="Excuse a week" actionData={excuse} button="Excuse the week"
            description="An excused week counts as complete for the exam, whatever is left of its lessons and quiz.">
            <SelectField label="Week" name="moduleId" required defaultValue={excuse?.values.moduleId ?? ''} errors={excuse?.errors.moduleId}>
              <option value="" disabled>Choose a week</option>
              {excusable.map((w) => (
                <option key={w.moduleId} value={w.moduleId}>
                  Week {w.week}: {w.title} ({w.complete ? 'complete' : `${w.lessonsDone} of ${w.lessonsTotal} lessons`})
                </option>
              ))}
            </SelectField>
          </ActForm>
        ) : null}
      </div>
    </section>
  );
}
