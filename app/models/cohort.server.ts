import { type DB, type Executor, writeTransaction } from '~db/connect';
import { recordAudit } from './user.server';

export async function listCohorts(db: Executor) {
  const cohorts = await db
    .selectFrom('cohorts')
    .select(['id', 'name', 'start_date', 'time_zone', 'created_at'])
    .select((eb) =>
      eb.selectFrom('enrolments').whereRef('enrolments.cohort_id', '=', 'cohorts.id').select(eb.fn.countAll<number>().as('n')).as('learners'),
    )
    .orderBy('start_date', 'desc')
    .orderBy('name')
    .execute();
  const managers = await db
    .selectFrom('cohort_managers')
    .innerJoin('users', 'users.id', 'cohort_managers.user_id')
    .select(['cohort_managers.cohort_id', 'users.id', 'users.name', 'users.email'])
    .execute();
  return cohorts.map((c) => ({
    ...c,
    learners: Number(c.learners ?? 0),
    managers: managers.filter((m) => m.cohort_id === c.id).map(({ id, name, email }) => ({ id, name, email })),
  }));
}

export async function findCohortByName(db: Executor, args: { name: string }) {
  return db.selectFrom('cohorts').selectAll().where('name', '=', args.name.trim()).executeTakeFirst();
}

/** Creates a cohort with its managers; returns its id. Names are unique (the caller reports a clash). */
export async function createCohort(
  db: DB,
  args: { name: string; startDate: string; timeZone: string; managerIds: readonly number[]; actorId: number | null },
): Promise<number> {
  return writeTransaction(db, async (trx) => {
    const { id } = await trx
      .insertInto('cohorts')
      .values({ name: args.name.trim(), start_date: args.startDate, time_zone: args.timeZone, created_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const managerIds = [...new Set(args.managerIds)];
    if (managerIds.length) {
      await trx.insertInto('cohort_managers').values(managerIds.map((user_id) => ({ cohort_id: id, user_id }))).execute();
    }
    await recordAudit(trx, {
      actorId: args.actorId,
      action: 'cohort.created',
      details: { cohortId: id, name: args.name.trim(), startDate: args.startDate, timeZone: args.timeZone, managerIds },
    });
    return id;
  });
}

/** Users who may manage a cohort (they hold the manager role). */
export async function listManagers(db: Executor) {
  return db
    .selectFrom('users')
    .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
    .select(['users.id', 'users.name', 'users.email'])
    .where('user_roles.role', '=', 'manager')
    .where('users.status', '=', 'active')
    .orderBy('users.name')
    .execute();
}
