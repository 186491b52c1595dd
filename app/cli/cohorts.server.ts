// cohort:create and enroll — putting learners on the track, with a cohort or a start date of their own.
import { isIsoDate } from '~/domain/calendar';
import { env } from '~/env.server';
import { cohortSchema } from '~/forms/schemas';
import { createCohort, findCohortByName } from '~/models/cohort.server';
import { isUniqueViolation } from '~/models/instance.server';
import { defaultTrackId, enrol, getEnrolment } from '~/models/learning.server';
import { findUserByEmail, getUserWithRoles } from '~/models/user.server';
import { CliError, INVOCATION, parseOptions, required, type CliCommand } from './command.server';

function checkDate(value: string, option: string): string {
  if (!isIsoDate(value)) throw new CliError(`${option} "${value}" is not a calendar date: use YYYY-MM-DD, e.g. 2026-03-02.`);
  return value;
}

const cohortFields = cohortSchema.pick({ name: true, timeZone: true });

export const cohortCreate: CliCommand = {
  name: 'cohort:create',
  usage: '--name NAME --start YYYY-MM-DD [--timezone ZONE] [--manager EMAIL]...',
  details: [
    '--start is day 1 of the track; a day begins at midnight in --timezone (default: DEFAULT_TIME_ZONE).',
    '--manager may be repeated; each must be an existing user with the manager role.',
  ],
  async run({ argv, database }) {
    const values = parseOptions(this, argv, {
      name: { type: 'string' },
      start: { type: 'string' },
      timezone: { type: 'string' },
      manager: { type: 'string', multiple: true },
    });
    const parsed = cohortFields.safeParse({
      name: required(values.name, '--name', this),
      timeZone: values.timezone ?? env().DEFAULT_TIME_ZONE,
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      if (issue?.path[0] === 'timeZone') throw new CliError(`--timezone "${values.timezone}": ${issue.message}`);
      const rule =
        issue?.code === 'too_small' ? `use at least ${issue.minimum} characters.` : issue?.code === 'too_big' ? `use at most ${issue.maximum} characters.` : issue?.message;
      throw new CliError(`--name "${values.name}": ${rule ?? 'invalid value'}`);
    }
    const { name, timeZone } = parsed.data;
    const startDate = checkDate(required(values.start, '--start', this), '--start');

    const { db } = await database();
    const clash = await findCohortByName(db, { name });
    if (clash) throw new CliError(`A cohort named "${clash.name}" already exists (cohort ${clash.id}, starting ${clash.start_date}).`);

    const managers: { id: number; email: string }[] = [];
    for (const email of values.manager ?? []) {
      const user = await findUserByEmail(db, { email });
      if (!user) throw new CliError(`--manager ${email}: no user has this email.`);
      const withRoles = await getUserWithRoles(db, { userId: user.id });
      if (!withRoles?.roles.includes('manager')) {
        throw new CliError(`--manager ${user.email}: this user does not have the manager role (roles: ${withRoles?.roles.join(', ') || 'none'}).`);
      }
      if (user.status !== 'active') throw new CliError(`--manager ${user.email}: this account is disabled.`);
      managers.push(user);
    }

    let cohortId: number;
    try {
      cohortId = await createCohort(db, { name, startDate, timeZone, managerIds: managers.map((m) => m.id), actorId: null });
    } catch (error) {
      if (isUniqueViolation(error)) throw new CliError(`A cohort named "${name}" already exists.`);
      throw error;
    }
    const managedBy = managers.length ? `, managed by ${managers.map((m) => m.email).join(', ')}` : '';
    console.log(`Created cohort ${cohortId} "${name}" starting ${startDate} (${timeZone})${managedBy}.`);
  },
};

export const enrollCommand: CliCommand = {
  name: 'enroll',
  usage: '--email EMAIL (--cohort NAME | --start YYYY-MM-DD)',
  details: ['Enrolling someone again moves them to the new cohort or start date; their completed lessons stay.'],
  async run({ argv, database }) {
    const values = parseOptions(this, argv, {
      email: { type: 'string' },
      cohort: { type: 'string' },
      start: { type: 'string' },
    });
    const email = required(values.email, '--email', this);
    if ((values.cohort === undefined) === (values.start === undefined)) {
      throw new CliError(`Give either --cohort NAME or --start YYYY-MM-DD. Usage: ${INVOCATION} ${this.name} ${this.usage}`);
    }
    const personalStart = values.start === undefined ? null : checkDate(values.start, '--start');

    const { db } = await database();
    const user = await findUserByEmail(db, { email });
    if (!user) throw new CliError(`No user has the email ${email.trim()}: create them first with user:create.`);
    const withRoles = await getUserWithRoles(db, { userId: user.id });
    if (!withRoles?.roles.includes('learner')) {
      throw new CliError(`${user.email} does not have the learner role (roles: ${withRoles?.roles.join(', ') || 'none'}), only learners follow the track.`);
    }
    let cohort = null;
    if (values.cohort !== undefined) {
      cohort = await findCohortByName(db, { name: values.cohort });
      if (!cohort) throw new CliError(`No cohort is named "${values.cohort.trim()}": create it first with cohort:create.`);
    }
    const trackId = await defaultTrackId(db);
    if (!trackId) throw new CliError('No track is loaded yet: start the server once (npm start) or run demo:seed to load content/.');

    const before = await getEnrolment(db, { userId: user.id, defaultTimeZone: env().DEFAULT_TIME_ZONE });
    await enrol(db, { userId: user.id, trackId, cohortId: cohort?.id ?? null, startDate: personalStart });
    const verb = before ? 'Moved' : 'Enrolled';
    const where = cohort
      ? `with cohort "${cohort.name}" (day 1: ${cohort.start_date}, ${cohort.time_zone})`
      : `with a personal start date of ${personalStart}`;
    console.log(`${verb} ${user.email} on track ${trackId} ${where}.`);
  },
};
