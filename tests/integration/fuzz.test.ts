// Every action, and every resource route's loader (the JSON API, the CSV export, the autosave
// endpoints), receives random and malformed requests built from a fixed seed: wrong types, huge
// strings, missing and repeated fields, bad UTF-8, invalid percent-encoding, broken multipart
// bodies, the wrong content type, garbage in the URL's parameters. Each visitor kind sends its own
// share (a fresh session per request: some actions end the session they are given). No request
// may end in a 500 or an error that is not a Response, and the data may change only when a visitor
// allowed to use the route had the request accepted (2xx/3xx). Routes are discovered from
// app/routes, so a new route is fuzzed without anyone adding it here.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '~db/schema';
import { getDatabase, db } from '~/db.server';
import { createApiKey } from '~/models/api-key.server';
import { getQuiz, startPracticeAttempt } from '~/models/attempt.server';
import { issueCertification } from '~/models/certification.server';
import { createCohort } from '~/models/cohort.server';
import { createWebhook } from '~/models/webhook.server';
import { certificationExam, sitExam } from '../support/exam-fixtures';
import { call, cookieFor, createUser, dateFromToday, enrolLearner } from '../support/fixtures';
import { ROOT } from '../support/paths';
import { mulberry32, seedFrom, type Prng } from '../support/prng';

/** Change it to explore other inputs; a failure names the seed of its route and visitor. */
const BASE_SEED = 20_261_124;
/** Requests per route and visitor: between four and five thousand in all, in about half a minute. */
const ACTION_REQUESTS = 24;
const LOADER_REQUESTS = 16;

const routeModules = import.meta.glob<Record<string, unknown>>('/app/routes/*.{ts,tsx}', { eager: true });

type Persona = 'anonymous' | Role | 'api-key';
type Kind = 'action' | 'loader';

interface Target {
  name: string;
  file: string;
  kind: Kind;
  handler: unknown;
  /** Who may use it: 'any' when the route is public (or guarded in a way the source scan cannot read). */
  allowed: 'any' | readonly Persona[];
  personas: readonly Persona[];
  paramNames: string[];
  fields: string[];
  values: string[];
}

// ---------------------------------------------------------------------------------------------
// What each route is: read crudely from its source text (and the form and component modules it
// imports), which is enough to aim random bodies at the fields the route actually reads.

function routeName(file: string): string {
  return file.replace('/app/routes/', '').replace(/\.tsx?$/, '');
}

function readSource(file: string): string {
  return fs.readFileSync(path.join(ROOT, file), 'utf8');
}

/** The source of the route and of the ~/forms and ~/components modules it imports. */
function sourceWithImports(file: string): string {
  const own = readSource(file);
  const imported: string[] = [];
  for (const match of own.matchAll(/from '~\/((?:forms|components)\/[\w./-]+)'/g)) {
    const base = path.join(ROOT, 'app', match[1] ?? '');
    for (const candidate of [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), path.join(base, 'index.tsx')]) {
      if (fs.existsSync(candidate)) {
        imported.push(fs.readFileSync(candidate, 'utf8'));
        break;
      }
    }
  }
  return [own, ...imported].join('\n');
}

function allMatches(source: string, patterns: RegExp[]): string[] {
  const found = new Set<string>();
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) if (match[1]) found.add(match[1]);
  return [...found];
}

const COMMON_FIELDS = ['intent', 'redirectTo', 'id', 'email', 'name', 'password', 'confirmPassword', 'reason', 'confirm'];

function fieldNames(source: string): string[] {
  const names = allMatches(source, [
    /\bname="([^"]{1,60})"/g,
    /\bname=\{'([^']{1,60})'\}/g,
    /\.get(?:All)?\(\s*'([^']{1,60})'/g,
    /register\(\s*'([^']{1,60})'/g,
    /^\s*([A-Za-z][\w]{0,40}):\s*z[.\s]/gm,
  ]);
  return [...new Set([...names, ...COMMON_FIELDS])];
}

function knownValues(source: string): string[] {
  return allMatches(source, [
    /\bvalue="([^"{]{1,40})"/g,
    /===\s*'([^']{1,40})'/g,
    /case\s+'([^']{1,40})'/g,
    /z\.literal\(\s*'([^']{1,40})'/g,
    /intent:\s*'([^']{1,40})'/g,
  ]);
}

/** The roles the route's guards name; 'any' for a public route; the API key for the JSON API. */
function allowedPersonas(source: string): 'any' | Persona[] {
  if (/requireApiKey\(/.test(source)) return ['api-key'];
  if (/requireUser\(/.test(source)) return [...ROLES];
  const roles = new Set<Role>();
  for (const match of source.matchAll(/requireRole\(\s*request\s*,\s*(\[[^\]]*\]|'[^']+')/g)) {
    for (const role of ROLES) if ((match[1] ?? '').includes(`'${role}'`)) roles.add(role);
  }
  return roles.size ? [...roles] : 'any';
}

/** Stands for a `[.]` (a literal dot) while a route name is split at its dots. */
const ESCAPED_DOT = '\ue000';

function paramNames(name: string): string[] {
  return name
    .replace(/\[\.\]/g, ESCAPED_DOT)
    .split('.')
    .filter((segment) => segment.startsWith('$'))
    .map((segment) => segment.slice(1).replace(/_$/, ''));
}

/** The URL path of a route with these parameters (already encoded). */
function urlPath(name: string, params: Record<string, string>): string {
  const segments = name
    .replace(/\[\.\]/g, ESCAPED_DOT)
    .split('.')
    .filter((segment) => !segment.startsWith('_'))
    .map((segment) => {
      const clean = segment.replace(/_$/, '').split(ESCAPED_DOT).join('.');
      return clean.startsWith('$') ? encodeURIComponent(params[clean.slice(1)] ?? '') : clean;
    });
  return `/${segments.join('/')}`;
}

const targets: Target[] = [];
for (const [file, mod] of Object.entries(routeModules)) {
  const name = routeName(file);
  const source = sourceWithImports(file);
  const allowed = allowedPersonas(source);
  const isApi = Array.isArray(allowed) && allowed.includes('api-key');
  const personas: readonly Persona[] = isApi ? ['anonymous', 'api-key', 'admin'] : ['anonymous', ...ROLES];
  const common = { name, file, allowed, personas, paramNames: paramNames(name), fields: fieldNames(source), values: knownValues(source) };
  if (typeof mod.action === 'function') targets.push({ ...common, kind: 'action', handler: mod.action });
  // Resource routes (no component): the API, exports and autosave endpoints answer GETs with data.
  if (typeof mod.loader === 'function' && typeof mod.default !== 'function') targets.push({ ...common, kind: 'loader', handler: mod.loader });
}

// ---------------------------------------------------------------------------------------------
// The data, and whether it changed: a row count and a digest of the content of every table. Left
// out, and why:
//  - sessions: every request here signs in afresh, and sign-out (an action) deletes its session;
//  - login_throttle: failed sign-ins are counted on purpose, whatever the form held;
//  - users.last_active_at: refreshed with each new session;
//  - api_keys.last_used_at: refreshed (at most once a minute) whenever a key is presented;
//  - sqlite_sequence: SQLite's AUTOINCREMENT counters, bookkeeping that follows the tables' rows.
// Hashing every table after every request would take most of the minute, so TEMP triggers (on this
// test's connection only; nothing is added to the database file) note which tables a request wrote,
// and only those are hashed again. A full snapshot at the end of each route checks the bookkeeping.

const EXCLUDED_TABLES = new Set(['sessions', 'login_throttle', 'sqlite_sequence']);
const EXCLUDED_COLUMNS: Record<string, readonly string[]> = { users: ['last_active_at'], api_keys: ['last_used_at'] };

type Snapshot = Map<string, { rows: number; digest: string }>;

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function watchedTables(): string[] {
  const { sqlite } = getDatabase();
  const tables = sqlite.prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  return tables.filter((t) => !EXCLUDED_TABLES.has(t));
}

function tableState(table: string): { rows: number; digest: string } {
  const { sqlite } = getDatabase();
  const excluded = EXCLUDED_COLUMNS[table] ?? [];
  const columns = (sqlite.pragma(`main.table_info(${quoteIdent(table)})`) as { name: string }[]).map((c) => c.name).filter((c) => !excluded.includes(c));
  const rows = sqlite.prepare(`SELECT ${columns.map(quoteIdent).join(', ')} FROM main.${quoteIdent(table)}`).raw().all();
  return { rows: rows.length, digest: createHash('sha1').update(JSON.stringify(rows)).digest('hex') };
}

function fullSnapshot(): Snapshot {
  return new Map(watchedTables().map((table) => [table, tableState(table)]));
}

function differences(before: Snapshot, after: Snapshot): string[] {
  const changed: string[] = [];
  for (const name of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(name);
    const b = after.get(name);
    if (a?.digest !== b?.digest) changed.push(`${name} (${a?.rows ?? 0} → ${b?.rows ?? 0} rows)`);
  }
  return changed;
}

class DataWatch {
  private current: Snapshot = new Map();

  start() {
    const { sqlite } = getDatabase();
    sqlite.exec('CREATE TEMP TABLE IF NOT EXISTS fuzz_touched (name TEXT PRIMARY KEY)');
    watchedTables().forEach((table, i) => {
      for (const [event, tag] of [['INSERT', 'i'], ['UPDATE', 'u'], ['DELETE', 'd']] as const) {
        const note = `INSERT OR IGNORE INTO temp.fuzz_touched (name) VALUES ('${table.replace(/'/g, "''")}')`;
        sqlite.exec(`CREATE TEMP TRIGGER IF NOT EXISTS fuzz_${tag}_${i} AFTER ${event} ON main.${quoteIdent(table)} BEGIN ${note}; END`);
      }
    });
    this.reset();
  }

  /** Starts over from the data as it is now. */
  reset() {
    getDatabase().sqlite.exec('DELETE FROM temp.fuzz_touched');
    this.current = fullSnapshot();
  }

  /** The tables whose content changed since the last call (with their row counts before → after). */
  changes(): string[] {
    const { sqlite } = getDatabase();
    const touched = sqlite.prepare('SELECT name FROM temp.fuzz_touched').pluck().all() as string[];
    if (touched.length === 0) return [];
    sqlite.exec('DELETE FROM temp.fuzz_touched');
    const before: Snapshot = new Map();
    const after: Snapshot = new Map();
    for (const table of touched) {
      const state = tableState(table);
      const previous = this.current.get(table);
      if (previous) before.set(table, previous);
      after.set(table, state);
      this.current.set(table, state);
    }
    return differences(before, after);
  }

  /** Differences between what the triggers tracked and a full snapshot: none, unless a write was missed. */
  missed(): string[] {
    return differences(this.current, fullSnapshot());
  }
}

const watch = new DataWatch();

// ---------------------------------------------------------------------------------------------
// The people and things a request can name, so some random requests get past "not found".

const personaUsers = new Map<Persona, number>();
let apiKey = '';
const validParams: Record<string, string[]> = {
  lessonId: ['welcome-to-the-live-queue'],
  quizId: ['week-1-practice'],
  queue: ['returns-refunds'],
  documentId: ['returns'],
  position: ['0', '1'],
};
const fixtureIds: string[] = [];

beforeAll(async () => {
  for (const role of ROLES) personaUsers.set(role, (await createUser({ roles: [role], name: `Fuzz ${role}` })).id);
  const admin = personaUsers.get('admin') ?? 0;
  const manager = personaUsers.get('manager') ?? 0;
  const learner = personaUsers.get('learner') ?? 0;
  apiKey = (await createApiKey(db(), { name: 'Fuzz helpdesk', createdBy: admin })).key;

  const cohortId = await createCohort(db(), { name: 'Fuzz cohort', startDate: dateFromToday(-10), timeZone: 'UTC', managerIds: [manager], actorId: admin });
  await enrolLearner(learner, { startDate: dateFromToday(-10), cohortId });
  // Someone else for the pages about one learner: random admin and manager requests may disable,
  // move or re-role them, which must not take away the learner visitor's own access.
  const subject = (await createUser({ roles: ['learner'], name: 'Fuzz subject' })).id;
  await enrolLearner(subject, { startDate: dateFromToday(-30), cohortId });
  const graded = await sitExam({ userId: subject, answer: 'correct', withWritten: true });
  const exam = await certificationExam();
  const certification = await issueCertification(db(), {
    userId: subject,
    exam: { id: exam.id, trackId: exam.trackId, queue: exam.queue, validityDays: exam.blueprint.validityDays },
    attemptId: graded.attemptId,
    now: new Date(),
  });
  const quiz = await getQuiz(db(), { quizId: 'week-1-practice' });
  if (!quiz) throw new Error('week-1-practice is not loaded');
  const practice = await startPracticeAttempt(db(), { userId: learner, quiz });
  const ongoing = await sitExam({ userId: learner, answer: 'wrong', submit: false });
  const webhook = await createWebhook(db(), { url: 'https://helpdesk.example.com/hooks', events: ['certification.granted'], actorId: admin });

  Object.assign(validParams, {
    attemptId: [String(practice), String(ongoing.attemptId), String(graded.attemptId)],
    position: ['0', ...graded.writtenPositions.map(String)],
    userId: [String(subject)],
    cohortId: [String(cohortId)],
    webhookId: [String(webhook.id)],
    credentialId: [certification.credential_id],
    certificationId: [String(certification.id)],
  });
  fixtureIds.push(String(practice), String(ongoing.attemptId), String(graded.attemptId), String(subject), String(cohortId), String(webhook.id), String(certification.id));
  watch.start();
});

// ---------------------------------------------------------------------------------------------
// Random requests.

const SCRIPT = '<script>alert(1)</script>';
const HUGE = 'A'.repeat(100_000);
const UNICODE = ['Zoë Ørsted', '中文名字', '🚀🔥💥', 'é', 'ﷺ', '\u202eevil.exe', '\ud800', '\udfff\ud800', 'a\u0000b', '\uffff', 'İı'];
const CONTROL = ['\u0000', '\u0001\u0002\u0003', '\b\f\v', '\r\n\r\n', '\t', '\u001b[31mred', '\u007f', '\u2028\u2029'];
const NUMBERS = ['0', '-1', '-0', '1.5', '1e308', '-1e308', '9007199254740993', '99999999999999999999999', 'NaN', 'Infinity', '-Infinity', '0x10', ' 1 ', '1,000', '٣', '2147483648', '1e-7'];
const JSONS = ['{"a":1}', '[1,2,3]', 'null', 'true', 'false', '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{}}}', '"quoted"', '{'];
const PATHS = ['../../etc/passwd', '..%2f..%2f', '/', '//evil.example.com', 'https://evil.example.com', 'javascript:alert(1)', '%00', 'C:\\Windows'];
const DATES = ['2026-02-30', '0000-00-00', '9999-12-31', '2026-13-01', '1970-01-01', 'yesterday', '2026-01-01T00:00:00Z'];
const EMAILS = ['a@b', 'someone@example.com', 'ANA@EXAMPLE.COM', '@example.com', 'a@', `${'a'.repeat(300)}@example.com`, 'a b@example.com'];
const SQLISH = ["' OR 1=1 --", '"; DROP TABLE users; --', '%', '_', '\\'];
const GARBAGE_PARAMS = ['', '0', '-1', 'abc', '1e5', '1.5', '99999999999999999999', '../admin', '..', '%00', ' 1', 'NaN', '0x1', SCRIPT, 'a'.repeat(2_000), '١', 'null'];
const RANDOM_FIELDS = ['__proto__', 'constructor', 'toString', '', ' ', 'intent[]', 'a'.repeat(1_000), '💥', 'x', 'data', 'file', 'seq', 'item', 'case'];

function randomText(rng: Prng, max = 40): string {
  let text = '';
  const length = rng.int(0, max);
  for (let i = 0; i < length; i++) text += String.fromCharCode(rng.int(0, 1) ? rng.int(32, 126) : rng.int(0, 0x2fff));
  return text;
}

function randomValue(rng: Prng, target: Target): string {
  switch (rng.int(0, 14)) {
    case 0:
      return '';
    case 1:
      return rng.chance(0.2) ? 'B'.repeat(1_200_000) : HUGE;
    case 2:
      return rng.pick(UNICODE);
    case 3:
      return rng.pick(CONTROL);
    case 4:
      return SCRIPT;
    case 5:
      return rng.pick(NUMBERS);
    case 6:
      return rng.pick(JSONS);
    case 7:
      return rng.pick(PATHS);
    case 8:
      return rng.pick(DATES);
    case 9:
      return rng.pick(EMAILS);
    case 10:
      return rng.pick(SQLISH);
    case 11:
    case 12:
      return target.values.length ? rng.pick(target.values) : randomText(rng);
    case 13:
      return fixtureIds.length ? rng.pick(fixtureIds) : '1';
    default:
      return randomText(rng);
  }
}

function randomFields(rng: Prng, target: Target): [string, string][] {
  const entries: [string, string][] = [];
  const count = rng.int(0, 7);
  for (let i = 0; i < count; i++) {
    const name = rng.chance(0.8) ? rng.pick(target.fields) : rng.chance(0.5) ? rng.pick(RANDOM_FIELDS) : randomText(rng, 12);
    const repeats = rng.chance(0.15) ? rng.int(2, 5) : 1; // repeated keys: arrays where one value is expected
    for (let r = 0; r < repeats; r++) entries.push([name, randomValue(rng, target)]);
  }
  return entries;
}

const encoder = new TextEncoder();

function concatBytes(parts: (string | number[])[]): Uint8Array<ArrayBuffer> {
  const chunks = parts.map((p) => (typeof p === 'string' ? encoder.encode(p) : Uint8Array.from(p)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

const BAD_BYTES = [[0xff], [0xfe, 0xff], [0xc3, 0x28], [0xe2, 0x82], [0xf0, 0x90, 0x80], [0xed, 0xa0, 0x80], [0x00], [0xc0, 0xaf]];
const BAD_PERCENT = ['%', '%z', '%zz', '%ff%fe', '%c3%28', '%ed%a0%80', '%%', '%u0041', '+%2', '&&', '==', '&=&='];

interface Body {
  kind: string;
  body?: BodyInit;
  contentType?: string;
  summary: string;
}

function describeFields(entries: [string, string][]): string {
  const short = (s: string) => (s.length > 40 ? `${JSON.stringify(s.slice(0, 40))}…(${s.length} chars)` : JSON.stringify(s));
  return entries.map(([k, v]) => `${short(k)}=${short(v)}`).join(' ');
}

function randomBody(rng: Prng, target: Target): Body {
  const entries = randomFields(rng, target);
  const roll = rng.next();
  if (roll < 0.42) {
    const form = new URLSearchParams();
    for (const [k, v] of entries) form.append(k, v);
    return { kind: 'urlencoded', body: form, summary: describeFields(entries) };
  }
  if (roll < 0.56) {
    const form = new FormData();
    for (const [k, v] of entries) {
      if (rng.chance(0.25)) form.append(k, new File([v], rng.pick(['list.csv', '../../x.csv', '', 'a'.repeat(300)]), { type: rng.pick(['text/csv', 'application/octet-stream', '']) }));
      else form.append(k, v);
    }
    return { kind: 'multipart', body: form, summary: describeFields(entries) };
  }
  if (roll < 0.68) {
    const parts: (string | number[])[] = [];
    for (const [k, v] of entries.slice(0, 3)) parts.push(`${new URLSearchParams([[k, '']]).toString()}`, v.slice(0, 200), rng.pick(BAD_BYTES), rng.pick(BAD_PERCENT), '&');
    parts.push(rng.pick(BAD_BYTES), rng.pick(BAD_PERCENT), `${rng.pick(target.fields)}=`, rng.pick(BAD_BYTES));
    return { kind: 'bad-bytes urlencoded', body: concatBytes(parts), contentType: 'application/x-www-form-urlencoded', summary: 'invalid UTF-8 and percent-encoding' };
  }
  if (roll < 0.77) {
    const boundary = 'fuzzboundary';
    const field = rng.pick(target.fields);
    const variants: [string, string | undefined][] = [
      [`--${boundary}\r\nContent-Disposition: form-data; name="${field}"\r\n\r\nvalue`, `multipart/form-data; boundary=${boundary}`],
      [`--other\r\nContent-Disposition: form-data; name="${field}"\r\n\r\nx\r\n--other--`, `multipart/form-data; boundary=${boundary}`],
      [`--${boundary}\r\nContent-Disposition: form-data\r\n\r\nno name\r\n--${boundary}--`, `multipart/form-data; boundary=${boundary}`],
      [`--${boundary}\r\n\r\n\r\n--${boundary}--`, 'multipart/form-data'],
      ['', `multipart/form-data; boundary=${'x'.repeat(300)}`],
      [`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\nemail\r\n`, `multipart/form-data; boundary="${boundary}`],
    ];
    const [text, contentType] = rng.pick(variants);
    return { kind: 'broken multipart', body: concatBytes([text, rng.chance(0.5) ? rng.pick(BAD_BYTES) : []]), contentType, summary: `${contentType ?? '(no type)'} ${JSON.stringify(text.slice(0, 60))}` };
  }
  if (roll < 0.86) {
    const valid = rng.chance(0.5);
    const json = valid ? JSON.stringify(Object.fromEntries(entries)) : rng.pick(['{', '{"intent":', '[1,2', 'undefined', '\u0000', '{"a":NaN}']);
    return { kind: 'json', body: json, contentType: rng.pick(['application/json', 'application/json; charset=utf-16', 'application/vnd.api+json']), summary: json.slice(0, 80) };
  }
  if (roll < 0.93) {
    const text = entries.map(([k, v]) => `${k}=${v}`).join('&');
    return { kind: 'wrong content type', body: text, contentType: rng.pick(['text/plain', 'text/csv', 'application/xml', 'image/png', 'application/x-www-form-urlencoded; charset=utf-16', 'garbage']), summary: describeFields(entries) };
  }
  return { kind: 'no body', contentType: rng.chance(0.5) ? 'application/x-www-form-urlencoded' : undefined, summary: '(empty)' };
}

function randomParams(rng: Prng, target: Target): Record<string, string> {
  const params: Record<string, string> = {};
  for (const name of target.paramNames) {
    const valid = validParams[name];
    params[name] = valid && rng.chance(0.6) ? rng.pick(valid) : rng.pick(GARBAGE_PARAMS);
  }
  return params;
}

function randomQuery(rng: Prng, target: Target): string {
  if (rng.chance(0.4)) return '';
  const parts: string[] = [];
  for (let i = rng.int(1, 4); i > 0; i--) {
    const key = rng.pick([...target.fields, 'page', 'perPage', 'email', 'redirectTo', 'case', 'item', 'q', 'cohort', 'status']);
    const value = randomValue(rng, target).slice(0, 3_000);
    // URLSearchParams encodes lone surrogates (as U+FFFD) where encodeURIComponent would throw.
    const pair = new URLSearchParams([[key, value]]).toString();
    parts.push(rng.chance(0.2) ? `${pair.split('=')[0] ?? ''}=${rng.pick(BAD_PERCENT)}` : pair);
  }
  return `?${parts.join('&')}`;
}

function authorization(rng: Prng, persona: Persona): string | undefined {
  if (persona === 'api-key') {
    return rng.chance(0.8) ? `Bearer ${apiKey}` : rng.pick([`bearer   ${apiKey}  `, `Bearer ${apiKey}x`, `Bearer ${apiKey.toUpperCase()}`]);
  }
  if (rng.chance(0.3)) return rng.pick(['Bearer ', 'Bearer x', 'Basic YTpi', `Bearer ${'a'.repeat(10_000)}`, 'Bearer fl_live_0000000000000000', 'Bearer\tabc\tdef', 'Token abc']);
  return undefined;
}

async function cookieOf(rng: Prng, persona: Persona): Promise<string | undefined> {
  const userId = personaUsers.get(persona);
  if (userId !== undefined) return cookieFor(userId);
  if (rng.chance(0.2)) return rng.pick(['frontline_session=forged', 'frontline_session=', `frontline_session=${'f'.repeat(32)}`, 'frontline_session=%E0%A4%A', '=;;;=']);
  return undefined;
}

interface Sent {
  request: Request;
  params: Record<string, string>;
  summary: string;
  kind: string;
}

async function randomRequest(rng: Prng, target: Target, persona: Persona): Promise<Sent> {
  const params = randomParams(rng, target);
  const url = `http://localhost${urlPath(target.name, params)}${randomQuery(rng, target)}`;
  const headers = new Headers({ Origin: 'http://localhost' });
  const cookie = await cookieOf(rng, persona);
  if (cookie) headers.set('Cookie', cookie);
  const auth = authorization(rng, persona);
  if (auth) headers.set('Authorization', auth);
  if (target.kind === 'loader') {
    return { request: new Request(url, { method: 'GET', headers }), params, summary: `GET ${url.slice(0, 200)}`, kind: 'GET' };
  }
  const body = randomBody(rng, target);
  if (body.contentType) headers.set('Content-Type', body.contentType);
  const method = rng.chance(0.88) ? 'POST' : rng.pick(['PUT', 'PATCH', 'DELETE']);
  const request = new Request(url, { method, headers, body: body.body });
  return { request, params, summary: `${method} ${url.slice(0, 160)} [${body.kind}] ${body.summary.slice(0, 300)}`, kind: body.kind };
}

// ---------------------------------------------------------------------------------------------

function isSignInRedirect(response: Response): boolean {
  return response.status === 302 && (response.headers.get('Location') ?? '').startsWith('/login?redirectTo=');
}

function mayUse(target: Target, persona: Persona): boolean {
  return target.allowed === 'any' || target.allowed.includes(persona);
}

interface Problem {
  group: string;
  example: string;
}

/** Requests a visitor allowed to use the route had accepted with a change to the data: reported, not failed. */
const acceptedChanges: { route: string; persona: Persona; changed: string[]; example: string }[] = [];
let requestsSent = 0;

function summarise(problems: Problem[]): string[] {
  const groups = new Map<string, { count: number; example: string }>();
  for (const problem of problems) {
    const group = groups.get(problem.group) ?? { count: 0, example: problem.example };
    group.count += 1;
    groups.set(problem.group, group);
  }
  return [...groups].map(([group, { count, example }]) => `${count}× ${group}\n      e.g. ${example}`);
}

async function fuzz(target: Target): Promise<Problem[]> {
  const problems: Problem[] = [];
  const count = target.kind === 'action' ? ACTION_REQUESTS : LOADER_REQUESTS;
  watch.reset();
  for (const persona of target.personas) {
    const seed = seedFrom(`${target.name} ${target.kind} ${persona}`, BASE_SEED);
    const rng = mulberry32(seed);
    for (let i = 0; i < count; i++) {
      const sent = await randomRequest(rng, target, persona);
      watch.changes(); // signing in for this request touched only what the digests leave out
      const example = `(${persona}, seed ${seed} #${i}) ${sent.summary}`;
      requestsSent += 1;
      let response: Response | null = null;
      try {
        response = await call(target.handler, sent.request, sent.params);
      } catch (error) {
        const first = error instanceof Error ? `${error.name}: ${error.message}`.split('\n')[0] : String(error);
        const stack = error instanceof Error ? (error.stack ?? '').split('\n').slice(1, 4).join(' | ').trim() : '';
        problems.push({ group: `threw ${first} — ${persona}, ${sent.kind} body`, example: `${example}\n      at ${stack}` });
      }
      if (response && response.status >= 500) {
        const text = (await response.text().catch(() => '')).slice(0, 160);
        problems.push({ group: `status ${response.status} — ${persona}, ${sent.kind} body`, example: `${example} → ${JSON.stringify(text)}` });
      }
      const changed = watch.changes();
      if (changed.length === 0) continue;
      const status = response?.status ?? 'a thrown error';
      const accepted = response !== null && response.status >= 200 && response.status < 400 && !isSignInRedirect(response);
      const tables = changed.map((t) => t.replace(/ \(.*$/, '')).join(', ');
      const detailed = `${example}\n      changed ${changed.join(', ')}`;
      if (!mayUse(target, persona)) {
        problems.push({ group: `changed ${tables} for a visitor without access (${persona}, ${status})`, example: detailed });
      } else if (!accepted) {
        problems.push({ group: `refused with ${status} but changed ${tables} (${persona})`, example: detailed });
      } else {
        acceptedChanges.push({ route: `${target.name} ${target.kind}`, persona, changed, example });
      }
    }
  }
  const missed = watch.missed();
  if (missed.length) problems.push({ group: `changes the per-request check missed: ${missed.join(', ')}`, example: target.file });
  return problems;
}

describe('random and malformed requests', () => {
  it('finds routes to fuzz', () => {
    expect(targets.filter((t) => t.kind === 'action').length).toBeGreaterThan(10);
    expect(targets.some((t) => t.name === 'api.v1.queue-access' && t.kind === 'loader')).toBe(true);
  });

  for (const target of targets) {
    it(`${target.name} ${target.kind}: no 500, no thrown error, no change a refusal should not make`, async () => {
      const problems = await fuzz(target);
      expect(summarise(problems), `${problems.length} of the random requests to ${target.file} went wrong`).toEqual([]);
    }, 60_000);
  }

  afterAll(() => {
    const byRoute = new Map<string, { count: number; tables: Set<string>; example: string }>();
    for (const a of acceptedChanges) {
      const key = `${a.route} as ${a.persona}`;
      const entry = byRoute.get(key) ?? { count: 0, tables: new Set<string>(), example: a.example };
      entry.count += 1;
      for (const t of a.changed) entry.tables.add(t.replace(/ \(.*$/, ''));
      byRoute.set(key, entry);
    }
    const lines = [...byRoute].map(([key, e]) => `  ${key}: ${e.count} accepted (${[...e.tables].join(', ')}); e.g. ${e.example.slice(0, 300)}`);
    console.info(`fuzz: ${requestsSent} requests; random bodies accepted with a change to the data:\n${lines.join('\n') || '  none'}`);
  });
});
