// "Activity" (everything the learner did and everything done about them, newest first) and the audit
// trail (who changed what about the learner, and why).
import { Link } from '@remix-run/react';
import { formatDate, formatDateTime } from '~/domain/calendar';
import type { AuditDetails, AuditEntry, TimelineEvent } from '~/models/manage.server';
import { percent, sectionClass } from './act-form';

const text = (details: AuditDetails, key: string) => {
  const value = details[key];
  return value === null || value === undefined ? '' : String(value);
};
const day = (value: string) => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? formatDate(value) : value);

/** An audit event in words. */
export function describeAudit(action: string, details: AuditDetails): string {
  switch (action) {
    case 'certification.granted':
      return 'Certification granted';
    case 'certification.revoked':
      return 'Certification revoked';
    case 'certification.reinstated':
      return 'Certification reinstated';
    case 'exam.attempts-reset':
      return 'Exam attempts reset';
    case 'exam.extra-attempt':
      return 'Extra exam attempt granted';
    case 'exam.cooldown-waived':
      return 'Wait after a failed attempt waived';
    case 'exam.deadline-extended':
      return `Exam deadline extended by ${text(details, 'minutes')} minutes`;
    case 'exam.reply-graded':
      return 'Written reply graded';
    case 'enrolment.schedule-extended':
      return `Schedule extended by ${text(details, 'days')} days (day 1 moved from ${day(text(details, 'from'))} to ${day(text(details, 'to'))})`;
    case 'enrolment.week-excused':
      return `Week ${text(details, 'week')} excused (${text(details, 'title')})`;
    case 'enrolment.week-unexcused':
      return `Excusal of week ${text(details, 'week')} withdrawn (${text(details, 'title')})`;
    case 'user.roles_changed':
      return 'Roles changed';
    case 'user.disabled':
      return 'Account disabled';
    case 'user.enabled':
      return 'Account enabled';
    case 'invitation.accepted':
      return 'Invitation accepted';
    case 'password.reset':
      return 'Password reset';
    case 'password.reset_link_created':
      return 'Password reset link created';
    default:
      return action;
  }
}

function describeEvent(e: TimelineEvent): string {
  const result = e.passed === null ? '' : e.passed ? ', passed' : ', not passed';
  switch (e.kind) {
    case 'lesson':
      return `Completed the lesson “${e.label}”`;
    case 'practice':
      return e.label
        ? `Submitted the practice quiz “${e.label}”: ${percent(e.score, e.maxScore)}${result}`
        : `Practised an extra case: ${percent(e.score, e.maxScore)}`;
    case 'exam-started':
      return 'Started an exam attempt';
    case 'exam-submitted': {
      const how = e.auto ? 'Exam attempt submitted automatically at the deadline' : 'Submitted an exam attempt';
      return e.score === null ? `${how}: awaiting review` : `${how}: ${percent(e.score, e.maxScore)}${result}`;
    }
    case 'exam-graded':
      return `Exam attempt graded: ${percent(e.score, e.maxScore)}${result}`;
    case 'audit':
      return `${describeAudit(e.label, e.details)}${e.actorName ? ` by ${e.actorName}` : ''}`;
  }
}

export function ActivityTimeline({ events, more, nextLimit, timeZone }: { events: TimelineEvent[]; more: boolean; nextLimit: number; timeZone: string }) {
  return (
    <section aria-labelledby="activity-heading" className={sectionClass} id="activity">
      <h2 id="activity-heading" className="mb-2 text-xl font-semibold">Activity</h2>
      {events.length === 0 ? (
        <p className="text-slate-700">No activity yet.</p>
      ) : (
        <ol className="divide-y divide-slate-200" aria-label="Activity, newest first">
          {events.map((e, i) => (
            <li key={`${e.kind}-${e.at}-${i}`} className="py-2">
              <p>{describeEvent(e)}</p>
              <p className="text-sm text-slate-700">
                <time dateTime={e.at}>{formatDateTime(e.at, timeZone)}</time>
                {e.reason ? ` · Reason: ${e.reason}` : ''}
              </p>
            </li>
          ))}
        </ol>
      )}
      {more ? (
        <p className="mt-3">
          <Link to={`?limit=${nextLimit}#activity`} preventScrollReset>Show more activity</Link>
        </p>
      ) : null}
    </section>
  );
}

export function AuditTrail({ trail, timeZone }: { trail: AuditEntry[]; timeZone: string }) {
  return (
    <section aria-labelledby="trail-heading" className={sectionClass}>
      <h2 id="trail-heading" className="mb-2 text-xl font-semibold">Audit trail</h2>
      {trail.length === 0 ? (
        <p className="text-slate-700">Nothing recorded yet.</p>
      ) : (
        <ol className="divide-y divide-slate-200">
          {trail.map((t) => (
            <li key={t.id} className="py-2">
              <p>
                <span className="font-semibold">{describeAudit(t.action, t.details)}</span> by {t.actorName ?? 'the system'} ·{' '}
                <time dateTime={t.createdAt}>{formatDateTime(t.createdAt, timeZone)}</time>
              </p>
              {t.reason ? <p className="text-sm text-slate-700">Reason: {t.reason}</p> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
