// Every route module, for every kind of visitor: who gets the page, who is sent to sign in, who is
// refused. A route file missing from ACCESS fails the suite, so a new route cannot ship unguarded.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '~db/schema';
import { ROLES } from '~db/schema';
import { call, cookieFor, createUser, dateFromToday, enrolLearner, makeRequest } from '../support/fixtures';

type Access = 'public' | readonly Role[];
interface RouteSpec {
  access: Access;
  path: string;
  params?: Record<string, string>;
}

const routeModules = import.meta.glob<Record<string, unknown>>('/app/routes/*.{ts,tsx}', { eager: true });

const LESSON = 'welcome-to-the-live-queue';
const NO_CREDENTIAL = '00000000-0000-0000-0000-000000000000';
const SCENARIO = 'courier-wants-the-code';
let subjectUserId = '0';

/** The expected access of each route file (by file name without extension). */
const ACCESS: Record<string, () => RouteSpec> = {
  _index: () => ({ access: 'public', path: '/' }),
  login: () => ({ access: 'public', path: '/login' }),
  logout: () => ({ access: 'public', path: '/logout' }),
  setup: () => ({ access: 'public', path: '/setup' }),
  healthz: () => ({ access: 'public', path: '/healthz' }),
  'invite.$token': () => ({ access: 'public', path: '/invite/x', params: { token: 'not-a-real-token' } }),
  'reset.$token': () => ({ access: 'public', path: '/reset/x', params: { token: 'not-a-real-token' } }),
  'handbook._index': () => ({ access: ROLES, path: '/handbook' }),
  'handbook.$documentId': () => ({ access: ROLES, path: '/handbook/returns', params: { documentId: 'returns' } }),
  'learn._index': () => ({ access: ['learner'], path: '/learn' }),
  'learn.lessons.$lessonId': () => ({ access: ['learner'], path: `/learn/lessons/${LESSON}`, params: { lessonId: LESSON } }),
  'learn.quizzes.$quizId': () => ({ access: ['learner'], path: '/learn/quizzes/week-1-practice', params: { quizId: 'week-1-practice' } }),
  'learn.attempts.$attemptId': () => ({ access: ['learner'], path: '/learn/attempts/999999', params: { attemptId: '999999' } }),
  'learn.attempts.$attemptId.answers': () => ({ access: ['learner'], path: '/learn/attempts/999999/answers', params: { attemptId: '999999' } }),
  'exam._index': () => ({ access: ['learner'], path: '/exam' }),
  'exam.attempts.$attemptId': () => ({ access: ['learner'], path: '/exam/attempts/999999', params: { attemptId: '999999' } }),
  'exam.attempts.$attemptId_.answers': () => ({ access: ['learner'], path: '/exam/attempts/999999/answers', params: { attemptId: '999999' } }),
  'exam.attempts.$attemptId_.submit': () => ({ access: ['learner'], path: '/exam/attempts/999999/submit', params: { attemptId: '999999' } }),
  manage: () => ({ access: ['manager', 'admin'], path: '/manage' }),
  'manage._index': () => ({ access: ['manager', 'admin'], path: '/manage' }),
  'manage.learners.$userId': () => ({ access: ['manager', 'admin'], path: `/manage/learners/${subjectUserId}`, params: { userId: subjectUserId } }),
  'verify.$credentialId': () => ({ access: 'public', path: `/verify/${NO_CREDENTIAL}`, params: { credentialId: NO_CREDENTIAL } }),
  'verify.$credentialId.credential': () => ({ access: 'public', path: `/verify/${NO_CREDENTIAL}/credential`, params: { credentialId: NO_CREDENTIAL } }),
  '[.]well-known.jwks[.]json': () => ({ access: 'public', path: '/.well-known/jwks.json' }),
  certificate: () => ({ access: ['learner'], path: '/certificate' }),
  studio: () => ({ access: ['trainer'], path: '/studio' }),
  'studio._index': () => ({ access: ['trainer'], path: '/studio' }),
  'studio.grading._index': () => ({ access: ['trainer'], path: '/studio/grading' }),
  'studio.grading.$attemptId.$position': () => ({ access: ['trainer'], path: '/studio/grading/999999/0', params: { attemptId: '999999', position: '0' } }),
  'api.v1.queue-access': () => ({ access: 'public', path: '/api/v1/queue-access?email=ana@example.com' }),
  'api.v1.queues.$queue.agents': () => ({ access: 'public', path: '/api/v1/queues/returns-refunds/agents', params: { queue: 'returns-refunds' } }),
  'admin.api-keys': () => ({ access: ['admin'], path: '/admin/api-keys' }),
  'admin.webhooks._index': () => ({ access: ['admin'], path: '/admin/webhooks' }),
  'admin.webhooks.$webhookId': () => ({ access: ['admin'], path: '/admin/webhooks/999999', params: { webhookId: '999999' } }),
  'manage.cohorts._index': () => ({ access: ['manager', 'admin'], path: '/manage/cohorts' }),
  'manage.cohorts.$cohortId': () => ({ access: ['manager', 'admin'], path: '/manage/cohorts/999999', params: { cohortId: '999999' } }),
  'manage.learners.$userId_.enrolment': () => ({ access: ['manager', 'admin'], path: `/manage/learners/${subjectUserId}/enrolment`, params: { userId: subjectUserId } }),
  'manage.insights': () => ({ access: ['manager', 'admin'], path: '/manage/insights' }),
  'manage.export[.]csv': () => ({ access: ['manager', 'admin'], path: '/manage/export.csv' }),
  'studio.import': () => ({ access: ['trainer'], path: '/studio/import' }),
  'studio.scenarios._index': () => ({ access: ['trainer'], path: '/studio/scenarios' }),
  'studio.scenarios.$scenarioId': () => ({ access: ['trainer'], path: `/studio/scenarios/${SCENARIO}`, params: { scenarioId: SCENARIO } }),
  'studio.scenarios.$scenarioId_.edit': () => ({ access: ['trainer'], path: `/studio/scenarios/${SCENARIO}/edit`, params: { scenarioId: SCENARIO } }),
  'studio.scenarios.$scenarioId_.preview': () => ({ access: ['trainer'], path: `/studio/scenarios/${SCENARIO}/preview`, params: { scenarioId: SCENARIO } }),
  'studio.scenarios.$scenarioId_.diff': () => ({ access: ['trainer'], path: `/studio/scenarios/${SCENARIO}/diff`, params: { scenarioId: SCENARIO } }),
  'studio.exams._index': () => ({ access: ['trainer'], path: '/studio/exams' }),
  'studio.exams.$examId': () => ({ access: ['trainer'], path: '/studio/exams/returns-refunds-certification', params: { examId: 'returns-refunds-certification' } }),
  'studio.analysis': () => ({ access: ['trainer'], path: '/studio/analysis' }),
  'studio.regrade': () => ({ access: ['trainer'], path: '/studio/regrade' }),
  admin: () => ({ access: ['admin'], path: '/admin' }),
  'admin._index': () => ({ access: ['admin'], path: '/admin' }),
  'admin.users._index': () => ({ access: ['admin'], path: '/admin/users' }),
  'admin.users.$userId': () => ({ access: ['admin'], path: `/admin/users/${subjectUserId}`, params: { userId: subjectUserId } }),
  'admin.invitations': () => ({ access: ['admin'], path: '/admin/invitations' }),
  'admin.cohorts': () => ({ access: ['admin'], path: '/admin/cohorts' }),
};

const personas = ['anonymous', ...ROLES] as const;
type Persona = (typeof personas)[number];
const personaUsers = new Map<Persona, number>();

beforeAll(async () => {
  for (const role of ROLES) {
    const user = await createUser({ roles: [role] });
    if (role === 'learner') {
      await enrolLearner(user.id, { startDate: dateFromToday(0) });
      subjectUserId = String(user.id);
    }
    personaUsers.set(role, user.id);
  }
});

function routeName(file: string): string {
  return file.replace('/app/routes/', '').replace(/\.tsx?$/, '');
}

function isSignInRedirect(response: Response): boolean {
  return response.status === 302 && (response.headers.get('Location') ?? '').startsWith('/login?redirectTo=');
}

describe('route access', () => {
  it('declares the access of every route module', () => {
    const undeclared = Object.keys(routeModules).map(routeName).filter((name) => !(name in ACCESS));
    expect(undeclared, 'add these routes to ACCESS in tests/integration/route-access.test.ts').toEqual([]);
  });

  for (const [file, mod] of Object.entries(routeModules)) {
    const name = routeName(file);
    for (const kind of ['loader', 'action'] as const) {
      if (typeof mod[kind] !== 'function') continue;
      it(`${name} ${kind}: each visitor gets the expected answer`, async () => {
        const spec = ACCESS[name]?.();
        if (!spec) throw new Error(`${name} has no declared access`);
        for (const persona of personas) {
          // A fresh session each time: a route may end the one it is given (logout does).
          const userId = personaUsers.get(persona);
          const cookie = userId === undefined ? undefined : await cookieFor(userId);
          const request = makeRequest(spec.path, { cookie, ...(kind === 'action' ? { form: {} } : {}) });
          const response = await call(mod[kind], request, spec.params ?? {});
          const label = `${persona} → ${kind} ${spec.path} (${response.status} ${response.headers.get('Location') ?? ''})`;
          if (spec.access === 'public') {
            expect(isSignInRedirect(response), label).toBe(false);
            expect(response.status, label).not.toBe(403);
          } else if (persona === 'anonymous') {
            expect(isSignInRedirect(response), label).toBe(true);
          } else if (spec.access.includes(persona)) {
            expect(isSignInRedirect(response), label).toBe(false);
            expect(response.status, label).not.toBe(403);
            expect(response.status, label).toBeLessThan(500);
          } else {
            expect(response.status, label).toBe(403);
          }
        }
      });
    }
  }
});
