// Script payloads in what trainers, managers and learners write — people's names, a cohort's name,
// lesson and handbook Markdown, scenario text, written exam replies, a grader's comment — are shown
// as text. Each page is rendered as the browser gets it: the real Remix request handler, built here
// from app/routes (the same route tree the Vite plugin makes), renders the whole document with its
// layout, its loader data and the data serialised into Remix's scripts. The HTML must hold the
// payload escaped, and no markup from it: no element, no event-handler attribute, no javascript: URL,
// no script without the page's CSP nonce.
import fs from 'node:fs';
import path from 'node:path';
import { flatRoutes } from '@remix-run/dev/dist/config/flat-routes.js';
import { createRequestHandler, type ServerBuild } from '@remix-run/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { formatContentError, loadContent } from '~/content/load.server';
import { renderMarkdown } from '~/content/markdown.server';
import { db } from '~/db.server';
import * as entryServer from '~/entry.server';
import { getQuiz, startPracticeAttempt } from '~/models/attempt.server';
import { issueCertification } from '~/models/certification.server';
import { createCohort } from '~/models/cohort.server';
import { syncContent } from '~/models/content.server';
import { gradeWrittenReply } from '~/models/exam.server';
import * as rootModule from '~/root';
import { loader as gradeLoader } from '~/routes/studio.grading.$attemptId.$position';
import { loader as verifyLoader } from '~/routes/verify.$credentialId';
import remixConfig from '../../remix.config.js';
import { contentCopies } from '../support/content-copies';
import { certificationExam, rubricLevels, sitExam, type SatExam } from '../support/exam-fixtures';
import { call, cookieFor, createUser, dateFromToday, enrolLearner, makeRequest } from '../support/fixtures';
import { ROOT } from '../support/paths';

const PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>';
/** The payload as React writes text: what the page must contain where it shows the field. */
const AS_TEXT = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;';
const NONCE = 'test-nonce';

// ---------------------------------------------------------------------------------------------
// The app's request handler, as `npm start` runs it, minus Vite: route modules from app/routes,
// arranged by Remix's own flat-routes convention.

const routeModules = import.meta.glob<Record<string, unknown>>('/app/routes/*.{ts,tsx}', { eager: true });

function serverBuild(): ServerBuild {
  const manifest = flatRoutes(path.join(ROOT, 'app'));
  const flags = (mod: Record<string, unknown>) => ({
    hasAction: typeof mod.action === 'function',
    hasLoader: typeof mod.loader === 'function',
    hasClientAction: false,
    hasClientLoader: false,
    hasErrorBoundary: typeof mod.ErrorBoundary === 'function',
  });
  const root = rootModule as Record<string, unknown>;
  const routes: Record<string, unknown> = { root: { id: 'root', path: '', module: root } };
  const assets: Record<string, unknown> = { root: { id: 'root', path: '', module: '/assets/root.js', imports: [], ...flags(root) } };
  for (const route of Object.values(manifest)) {
    const mod = routeModules[`/app/${route.file}`];
    if (!mod) throw new Error(`${route.file} was not imported`);
    const shape = { id: route.id, parentId: route.parentId ?? 'root', path: route.path, index: route.index, caseSensitive: route.caseSensitive };
    routes[route.id] = { ...shape, module: mod };
    assets[route.id] = { ...shape, module: `/assets/${route.id}.js`, imports: [], ...flags(mod) };
  }
  // Remix's types describe a compiled build; this one is assembled from the same parts.
  return {
    mode: 'production',
    entry: { module: entryServer },
    routes,
    assets: { entry: { imports: [], module: '/assets/entry.client.js' }, routes: assets, url: '/assets/manifest.js', version: 'test' },
    publicPath: '/assets/',
    assetsBuildDirectory: path.join(ROOT, 'build', 'client', 'assets'),
    future: remixConfig.future,
    isSpaMode: false,
  } as unknown as ServerBuild;
}

const handle = createRequestHandler(serverBuild(), 'production');

async function page(pathname: string, userId?: number): Promise<string> {
  const headers = new Headers({ 'User-Agent': 'Mozilla/5.0' });
  if (userId !== undefined) headers.set('Cookie', await cookieFor(userId));
  const response = await handle(new Request(`http://localhost${pathname}`, { headers }), { cspNonce: NONCE, clientAddress: '127.0.0.1' });
  const html = await response.text();
  expect(response.status, `${pathname}: ${html.slice(0, 300)}`).toBe(200);
  return html;
}

// ---------------------------------------------------------------------------------------------
// What counts as markup that came from a payload.

function decodeEntities(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&colon;/gi, ':')
    .replace(/&(tab|newline);/gi, '')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background', 'srcset']);
const EMBEDDING_ELEMENTS = new Set(['iframe', 'frame', 'object', 'embed', 'applet', 'base']);

/** Everything in `html` that could run script: each entry says what and where. */
function unsafeMarkup(html: string): string[] {
  const problems: string[] = [];
  if (html.includes(PAYLOAD)) problems.push('the payload appears unescaped');
  // Script bodies are Remix's own JavaScript (data in them is escaped as \u003c); their opening tags
  // are checked below, and a payload that closed a script early shows up as markup after it.
  const outsideScripts = html.replace(/(<script\b[^>]*>)[\s\S]*?<\/script\s*>/gi, '$1</script>');
  const tag = /<([a-zA-Z][\w:-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
  for (const match of outsideScripts.matchAll(tag)) {
    const name = (match[1] ?? '').toLowerCase();
    const attributes = [...(match[2] ?? '').matchAll(/([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)].map(
      (a) => [(a[1] ?? '').toLowerCase(), decodeEntities(a[2] ?? a[3] ?? a[4] ?? '')] as const,
    );
    const where = match[0].slice(0, 120);
    if (EMBEDDING_ELEMENTS.has(name)) problems.push(`<${name}> element: ${where}`);
    if (name === 'script' && !attributes.some(([k, v]) => k === 'nonce' && v === NONCE)) problems.push(`script without the page's nonce: ${where}`);
    for (const [attribute, value] of attributes) {
      if (attribute.startsWith('on')) problems.push(`event handler attribute ${attribute}: ${where}`);
      // Browsers ignore control characters and spaces inside a URL's scheme.
      const url = [...value].filter((c) => c.charCodeAt(0) > 0x20).join('');
      if (URL_ATTRIBUTES.has(attribute) && /^(javascript|vbscript|data(?!:image\/(png|gif|jpeg|webp);)):/i.test(url)) problems.push(`${attribute}="${value.slice(0, 40)}": ${where}`);
      if (attribute === 'style' && /expression\(|url\(\s*['"]?\s*javascript:/i.test(value)) problems.push(`script in a style attribute: ${where}`);
    }
  }
  return problems;
}

function expectShownAsText(html: string, label: string) {
  expect(unsafeMarkup(html), label).toEqual([]);
  expect(html, `${label}: the field is on the page, escaped`).toContain(AS_TEXT);
}

// ---------------------------------------------------------------------------------------------
// Content with payloads in it, loaded the way the app loads content/.

const LESSON_ID = 'welcome-to-the-live-queue';
const LESSON_FILE = path.join('lessons', 'week-1', 'd01-welcome-to-the-live-queue.md');
const POLICY_FILE = path.join('policies', '03-returns.md');
const SCENARIO_ID = 'mira-promised-three-days';
const SCENARIO_FILE = path.join('scenarios', 'week-1', `${SCENARIO_ID}.yaml`);
const QUIZ_ID = 'week-1-practice';

/** Markdown that tries every way in: raw HTML, javascript: links in each Markdown form, entity tricks. */
const MARKDOWN_PAYLOADS = [
  `Raw: ${PAYLOAD}`,
  '<a href="javascript:alert(2)">raw anchor</a> <iframe src="https://evil.example/"></iframe> <svg onload=alert(3)></svg>',
  '<div onclick="alert(4)" style="background:url(javascript:alert(5))">raw div</div>',
  '[a javascript link](javascript:alert(6)) and [a spaced one]( javascript:alert(7) ) and [UPPER](JAVASCRIPT:alert(8))',
  '[an entity link](&#106;avascript:alert(9)) and [a tab link](java&#9;script:alert(10)) and <javascript:alert(11)>',
  '![an image](javascript:alert(12)) ![svg data](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '[a reference link][evil]\n\n[evil]: javascript:alert(13)',
  '[a data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [vb](vbscript:msgbox(14))',
  '<img src="x" onerror="alert(15)"> <input autofocus onfocus=alert(16)> <form action="javascript:alert(17)"><button>go</button></form>',
  '<style>body{display:none}</style> <math><mi xlink:href="javascript:alert(18)">x</mi></math> <base href="https://evil.example/">',
].join('\n\n');

const copyOfContent = contentCopies();

function editContent(): string {
  const dir = copyOfContent();
  const append = (file: string, text: string) => fs.appendFileSync(path.join(dir, file), `\n\n${text}\n`);
  append(LESSON_FILE, `## Payloads\n\n${MARKDOWN_PAYLOADS}`);
  // In the handbook part's introduction (before its first section), and in its last section.
  const policy = path.join(dir, POLICY_FILE);
  fs.writeFileSync(policy, fs.readFileSync(policy, 'utf8').replace(/\n## /, `\n${MARKDOWN_PAYLOADS}\n\n## `));
  append(POLICY_FILE, MARKDOWN_PAYLOADS);

  const scenarioPath = path.join(dir, SCENARIO_FILE);
  const scenario = parseDocument(fs.readFileSync(scenarioPath, 'utf8'));
  for (const [keys, value] of [
    [['title'], `Mira ${PAYLOAD}`],
    [['summary'], `Summary ${PAYLOAD}`],
    [['handoff', 'note'], `Note ${PAYLOAD}`],
    [['customer', 'name'], `Kenji ${PAYLOAD}`],
    [['customer', 'mood'], `Mood ${PAYLOAD}`],
    [['chat', 0, 'text'], `Chat ${PAYLOAD}`],
    [['items', 0, 'prompt'], `Prompt ${PAYLOAD}`],
    [['items', 0, 'options', 0, 'text'], `Option ${PAYLOAD}`],
  ] as const) {
    if (!scenario.hasIn(keys)) throw new Error(`${SCENARIO_FILE} has no ${keys.join('.')}`);
    scenario.setIn(keys, value);
  }
  fs.writeFileSync(scenarioPath, String(scenario));
  return dir;
}

// ---------------------------------------------------------------------------------------------

const ids = { admin: 0, manager: 0, trainer: 0, named: 0, sitting: 0, reader: 0, cohort: 0, practice: 0 };
let pending: SatExam;
let graded: SatExam;
let sitting: SatExam;
let credentialId = '';

beforeAll(async () => {
  const loaded = loadContent(editContent());
  if (!loaded.ok) throw new Error(`the edited content does not load:\n${loaded.errors.map(formatContentError).join('\n')}`);
  await syncContent(db(), loaded.content);

  ids.admin = (await createUser({ roles: ['admin'], name: 'Ada Admin' })).id;
  ids.manager = (await createUser({ roles: ['manager'], name: 'Mo Manager' })).id;
  ids.trainer = (await createUser({ roles: ['trainer'], name: 'Tess Trainer' })).id;
  ids.cohort = await createCohort(db(), { name: `Cohort ${PAYLOAD}`, startDate: dateFromToday(-30), timeZone: 'UTC', managerIds: [ids.manager], actorId: ids.admin });

  // A learner named with the payload: a written reply (the payload too) waits for a trainer, and
  // they hold a certification (the certificate and the public verification page show the name).
  ids.named = (await createUser({ roles: ['learner'], name: PAYLOAD })).id;
  await enrolLearner(ids.named, { startDate: dateFromToday(-30), cohortId: ids.cohort });
  pending = await sitExam({ userId: ids.named, answer: 'correct', writtenText: `Reply ${PAYLOAD}`, withWritten: true });
  const exam = await certificationExam();
  const certification = await issueCertification(db(), {
    userId: ids.named,
    exam: { id: exam.id, trackId: exam.trackId, queue: exam.queue, validityDays: exam.blueprint.validityDays },
    attemptId: pending.attemptId,
    now: new Date(),
  });
  credentialId = certification.credential_id;

  // Another, whose reply is graded with the payload as the trainer's comment.
  const commented = (await createUser({ roles: ['learner'], name: 'Cora Commented' })).id;
  await enrolLearner(commented, { startDate: dateFromToday(-30), cohortId: ids.cohort });
  graded = await sitExam({ userId: commented, answer: 'correct', withWritten: true });
  for (const position of graded.writtenPositions) {
    const item = graded.items.find((i) => i.position === position)?.item;
    if (!item) throw new Error(`no item at ${position}`);
    const result = await gradeWrittenReply(db(), { attemptId: graded.attemptId, position, graderId: ids.trainer, levels: rubricLevels(item, 'top'), comment: `Comment ${PAYLOAD}` });
    if (!result.ok) throw new Error(result.reason);
  }

  // One in the middle of the exam, the payload typed into the written reply.
  ids.sitting = (await createUser({ roles: ['learner'], name: PAYLOAD })).id;
  await enrolLearner(ids.sitting, { startDate: dateFromToday(-30) });
  sitting = await sitExam({ userId: ids.sitting, answer: 'correct', writtenText: `Draft ${PAYLOAD}`, withWritten: true, submit: false });

  // One reading the edited lesson, handbook and case (week 1's quiz is open from day 6).
  ids.reader = (await createUser({ roles: ['learner'], name: 'Rae Reader' })).id;
  await enrolLearner(ids.reader, { startDate: dateFromToday(-10) });
  const quiz = await getQuiz(db(), { quizId: QUIZ_ID });
  if (!quiz) throw new Error(`${QUIZ_ID} is not loaded`);
  ids.practice = await startPracticeAttempt(db(), { userId: ids.reader, quiz });
});

describe('names are shown as text', () => {
  it.each([
    ['the admin users list', () => '/admin/users', () => ids.admin],
    ['the admin page of the user', () => `/admin/users/${ids.named}`, () => ids.admin],
    ['the admin cohorts list (cohort name)', () => '/admin/cohorts', () => ids.admin],
    ['the manager roster', () => '/manage', () => ids.manager],
    ["the manager's cohorts (cohort name)", () => '/manage/cohorts', () => ids.manager],
    ['the cohort page', () => `/manage/cohorts/${ids.cohort}`, () => ids.manager],
    ["the manager's page of the learner", () => `/manage/learners/${ids.named}`, () => ids.manager],
    ['the learner’s certificate (and the signed-in name in the header)', () => '/certificate', () => ids.named],
    ['the public verification page', () => `/verify/${credentialId}`, () => undefined],
    ['the grading queue', () => '/studio/grading', () => ids.trainer],
  ])('%s', async (label, pathname, viewer) => {
    expectShownAsText(await page(pathname(), viewer()), label);
  });

  it('loaders hand the name over as the text it is, not as HTML', async () => {
    const verify = await call(verifyLoader, makeRequest(`/verify/${credentialId}`), { credentialId });
    expect(((await verify.json()) as { holderName: string }).holderName).toBe(PAYLOAD);
  });
});

describe('written replies and comments are shown as text', () => {
  it('the trainer sees the reply, and the learner’s name, as text', async () => {
    const position = pending.writtenPositions[0] ?? 0;
    const pathname = `/studio/grading/${pending.attemptId}/${position}`;
    const response = await call(gradeLoader, makeRequest(pathname, { cookie: await cookieFor(ids.trainer) }), { attemptId: String(pending.attemptId), position: String(position) });
    expect(JSON.stringify(await response.json())).toContain(JSON.stringify(`Reply ${PAYLOAD}`));
    const html = await page(pathname, ids.trainer);
    expectShownAsText(html, 'grading page');
    expect(html).toContain(`Reply ${AS_TEXT}`);
  });

  it('a graded reply shows the grader’s comment as text', async () => {
    const position = graded.writtenPositions[0] ?? 0;
    const html = await page(`/studio/grading/${graded.attemptId}/${position}`, ids.trainer);
    expectShownAsText(html, 'graded reply');
    expect(html).toContain(`Comment ${AS_TEXT}`);
  });

  it('the learner sees their own draft reply in the exam as text', async () => {
    const position = sitting.writtenPositions[0] ?? 0;
    const html = await page(`/exam/attempts/${sitting.attemptId}?item=${position + 1}`, ids.sitting);
    expectShownAsText(html, 'exam page');
    expect(html).toContain(`Draft ${AS_TEXT}`);
  });
});

describe('Markdown written for lessons and the handbook is sanitised', () => {
  it('renderMarkdown keeps the words and drops every script, handler and javascript: URL', () => {
    const html = renderMarkdown(MARKDOWN_PAYLOADS);
    expect(unsafeMarkup(html)).toEqual([]);
    // Raw HTML is dropped (its text stays, as text); links and images keep their words, not their URLs.
    expect(html).not.toMatch(/<(script|iframe|svg|style|math|input|form|button|div|base)\b/i);
    expect(html).not.toMatch(/<img\b[^>]*\bsrc=/i);
    expect(html).not.toMatch(/<a\b[^>]*\bhref=/i);
    for (const words of ['a javascript link', 'an entity link', 'a reference link', 'a data link']) expect(html).toContain(words);
  });

  it('the lesson page shows the edited lesson without any of it', async () => {
    const html = await page(`/learn/lessons/${LESSON_ID}`, ids.reader);
    expect(html, 'the edited lesson was loaded').toContain('a javascript link');
    expect(unsafeMarkup(html)).toEqual([]);
  });

  it('the handbook page shows the edited part without any of it', async () => {
    const html = await page('/handbook/returns', ids.reader);
    expect(html, 'the edited handbook part was loaded').toContain('a javascript link');
    expect(unsafeMarkup(html)).toEqual([]);
  });

  it('HTML goes into a page unescaped only where it comes from renderMarkdown', () => {
    // Each use of dangerouslySetInnerHTML in app/, with the value it is given. Add one only for HTML
    // that renderMarkdown produced (stored as body_html by the content loader).
    const allowed = new Set([
      'routes/handbook.$documentId.tsx: document.body_html',
      'routes/handbook.$documentId.tsx: s.body_html',
      'routes/learn.lessons.$lessonId.tsx: content.bodyHtml',
    ]);
    const found: string[] = [];
    const appDir = path.join(ROOT, 'app');
    for (const file of fs.readdirSync(appDir, { recursive: true, encoding: 'utf8' })) {
      if (!/\.(ts|tsx)$/.test(file)) continue;
      const source = fs.readFileSync(path.join(appDir, file), 'utf8');
      for (const match of source.matchAll(/dangerouslySetInnerHTML=\{\{\s*__html:\s*([^}]+?)\s*\}\}/g)) found.push(`${file.split(path.sep).join('/')}: ${match[1]}`);
      const uses = source.split('dangerouslySetInnerHTML').length - 1;
      const recognised = [...source.matchAll(/dangerouslySetInnerHTML=\{\{\s*__html:/g)].length;
      if (uses !== recognised) found.push(`${file}: dangerouslySetInnerHTML in a form this test does not recognise`);
    }
    expect(found.filter((use) => !allowed.has(use))).toEqual([]);
    // The stored HTML they show is made by renderMarkdown, and nothing else writes those columns.
    const loader = fs.readFileSync(path.join(appDir, 'models', 'content.server.ts'), 'utf8');
    expect(loader.match(/body_html: [^,\n]+/g)).toEqual(['body_html: renderMarkdown(lesson.body)', 'body_html: renderMarkdown(policy.intro)', 'body_html: renderMarkdown(s.body)']);
  });
});

describe('scenario text is shown as text', () => {
  it('the learner’s case page shows the edited case file and question as text', async () => {
    const html = await page(`/learn/attempts/${ids.practice}`, ids.reader);
    expectShownAsText(html, 'practice case');
    for (const field of ['Mira', 'Note', 'Kenji', 'Chat', 'Prompt', 'Option']) expect(html, field).toContain(`${field} ${AS_TEXT}`);
  });

  it.each([
    ['the studio editor', `/studio/scenarios/${SCENARIO_ID}`],
    ['the studio preview', `/studio/scenarios/${SCENARIO_ID}/preview`],
  ])('%s shows it as text', async (label, pathname) => {
    expectShownAsText(await page(pathname, ids.trainer), label);
  });
});
