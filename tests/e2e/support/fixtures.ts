// Users and sessions made directly in the main e2e server's database (no sign-up through the UI).
import { test as base, type BrowserContext, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import type { Role } from '~db/schema';
import { openDatabase, type OpenDatabase } from '~db/connect';
import { serializeSessionCookie } from '~/auth.server';
import { defaultTrackId, enrol } from '~/models/learning.server';
import { hashPassword } from '~/models/password.server';
import { createSession } from '~/models/session.server';
import { insertUser } from '~/models/user.server';
import { MAIN_DB, MAIN_PORT } from './config';

export const PASSWORD = 'plaid umbrella orbit 42';

let database: OpenDatabase | undefined;
function mainDb() {
  database ??= openDatabase(MAIN_DB);
  return database.db;
}

let sequence = 0;
export async function createUser(roles: Role[], options: { startDate?: string } = {}) {
  sequence += 1;
  const email = `${roles.join('-')}-${Date.now()}-${sequence}-${Math.floor(Math.random() * 1e6)}@e2e.test`;
  const id = await insertUser(mainDb(), { email, name: `E2E ${roles.join(' ')} ${sequence}`, passwordHash: await hashPassword(PASSWORD), roles });
  if (options.startDate) {
    const trackId = await defaultTrackId(mainDb());
    if (!trackId) throw new Error('the e2e server has not loaded the track');
    await enrol(mainDb(), { userId: id, trackId, cohortId: null, startDate: options.startDate });
  }
  return { id, email, password: PASSWORD };
}

export async function signInAs(context: BrowserContext, userId: number) {
  const token = await createSession(mainDb(), { userId, limits: { idleMinutes: 60, maxDays: 1 } });
  const value = (await serializeSessionCookie(token)).split(';')[0]?.split('=').slice(1).join('=') ?? '';
  await context.addCookies([{ name: 'frontline_session', value, url: `http://127.0.0.1:${MAIN_PORT}` }]);
}

/** Today's date in Asia/Shanghai (the default cohort time zone), as YYYY-MM-DD. */
export function todayInShanghai(offsetDays = 0): string {
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + offsetDays)).toISOString().slice(0, 10);
}

/** No accessibility violation of serious or critical impact on the page as it is now. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  base.expect(summary, `axe violations on ${page.url()}`).toEqual([]);
}

export const test = base;
export const expect = base.expect;
