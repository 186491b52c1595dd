// The studio's forms: a new scenario, publishing with a change note, confirmations, and the scenario
// editor's values. The editor holds a scenario in a shape a form can edit (every item carries every
// type's lists; lists of words are one text field), turned back into a scenario body before it is
// saved or checked. Checking is always validateScenario (app/content/scenario-checks.ts): the same
// schema and rules the content loader and the publish action use.
import { z } from 'zod';
import { pathKey, type ScenarioProblem } from '~/content/scenario-checks';
import { ITEM_TYPES, itemSchema, TOPICS, type ItemType } from '~/content/scenario-schema';
import { branchingProblems, itemProblems } from '~/domain/item-rules';

export const SCENARIO_STATUSES = ['draft', 'published', 'retired'] as const;
export const ORIGINS = ['content', 'studio'] as const;

export const newScenarioSchema = z.object({
  title: z.string().trim().min(5, 'Give the scenario a title of at least 5 characters.').max(100, 'Keep the title to 100 characters.'),
  topic: z.enum(TOPICS, { error: 'Choose a topic.' }),
  week: z.coerce.number<string>().int().min(1, 'Choose a week from 1 to 4.').max(4, 'Choose a week from 1 to 4.'),
  difficulty: z.coerce.number<string>().int().min(1, 'Choose a difficulty from 1 to 5.').max(5, 'Choose a difficulty from 1 to 5.'),
});

export const changeNoteSchema = z
  .string({ error: 'Say what changed in this version.' })
  .trim()
  .min(3, 'Say what changed in this version (at least 3 characters).')
  .max(500, 'Keep the change note to 500 characters.');

export const confirmSchema = z.literal('yes', { error: 'Tick the box to confirm.' });

// ---------------------------------------------------------------------------------------------
// The editor's values

export interface EditorOption { id: string; text: string; correct: boolean; unsafe: boolean; feedback: string }
/** A choice in a conversation step; next '' ends the conversation. */
export interface EditorChoice { id: string; text: string; points: number; unsafe: boolean; feedback: string; next: string }
export interface EditorStep { id: string; prompt: string; options: EditorChoice[] }
export interface EditorOrderStep { id: string; text: string }
export interface EditorPair { id: string; evidence: string; conclusion: string }
export interface EditorLevel { points: number; description: string }
export interface EditorCriterion { criterion: string; levels: EditorLevel[] }

export interface EditorItem {
  id: string;
  type: ItemType;
  prompt: string;
  points: number;
  /** '' inherits the scenario's. */
  topic: string;
  /** '' inherits the scenario's. */
  difficulty: string;
  critical: boolean;
  explanation: string;
  /** Handbook sections, e.g. "7.1, 9.3". */
  policies: string;
  /** single, multiple */
  options: EditorOption[];
  /** branching */
  start: string;
  steps: EditorStep[];
  /** ordering: the steps in the correct order */
  orderSteps: EditorOrderStep[];
  /** matching */
  pairs: EditorPair[];
  /** matching: one distractor per line */
  distractors: string;
  /** written */
  modelReply: string;
  rubric: EditorCriterion[];
}

export interface EditorValues {
  id: string;
  title: string;
  week: number;
  topic: string;
  difficulty: number;
  summary: string;
  policies: string;
  handoff: { intent: string; note: string; sentiment: string; verified: boolean; language: string };
  customer: { name: string; role: string; mood: string };
  order: {
    id: string;
    item: string;
    type: string;
    lines: { label: string; amount: number }[];
    payments: { method: string; amount: number; status: string }[];
  };
  timeline: { at: string; event: string; detail: string }[];
  chat: { from: string; at: string; text: string }[];
  items: EditorItem[];
}

type Loose = Record<string, unknown>;
const obj = (v: unknown): Loose => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Loose) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : fallback);
const bool = (v: unknown): boolean => v === true;
const words = (v: unknown): string => list(v).map(str).join(', ');

function editorItem(raw: unknown): EditorItem {
  const item = obj(raw);
  const type = (ITEM_TYPES as readonly string[]).includes(str(item.type)) ? (str(item.type) as ItemType) : 'single';
  return {
    id: str(item.id),
    type,
    prompt: str(item.prompt),
    points: num(item.points, 1),
    topic: str(item.topic),
    difficulty: item.difficulty === undefined ? '' : str(item.difficulty),
    critical: bool(item.critical),
    explanation: str(item.explanation),
    policies: words(item.policies),
    options: type === 'single' || type === 'multiple'
      ? list(item.options).map((o) => { const x = obj(o); return { id: str(x.id), text: str(x.text), correct: bool(x.correct), unsafe: bool(x.unsafe), feedback: str(x.feedback) }; })
      : [],
    start: type === 'branching' ? str(item.start) : '',
    steps: type === 'branching'
      ? list(item.steps).map((s) => {
          const step = obj(s);
          return {
            id: str(step.id),
            prompt: str(step.prompt),
            options: list(step.options).map((o) => {
              const x = obj(o);
              return { id: str(x.id), text: str(x.text), points: num(x.points, 0), unsafe: bool(x.unsafe), feedback: str(x.feedback), next: str(x.next) };
            }),
          };
        })
      : [],
    orderSteps: type === 'ordering' ? list(item.steps).map((s) => ({ id: str(obj(s).id), text: str(obj(s).text) })) : [],
    pairs: list(item.pairs).map((p) => ({ id: str(obj(p).id), evidence: str(obj(p).evidence), conclusion: str(obj(p).conclusion) })),
    distractors: list(item.distractors).map(str).join('\n'),
    modelReply: str(item.modelReply),
    rubric: list(item.rubric).map((c) => ({
      criterion: str(obj(c).criterion),
      levels: list(obj(c).levels).map((l) => ({ points: num(obj(l).points, 0), description: str(obj(l).description) })),
    })),
  };
}

/** Any stored draft (it may be incomplete) as the editor's values. */
export function toEditorValues(body: unknown): EditorValues {
  const s = obj(body);
  const handoff = obj(s.handoff);
  const customer = obj(s.customer);
  const order = obj(s.order);
  return {
    id: str(s.id),
    title: str(s.title),
    week: num(s.week, 1),
    topic: str(s.topic),
    difficulty: num(s.difficulty, 1),
    summary: str(s.summary),
    policies: words(s.policies),
    handoff: {
      intent: str(handoff.intent),
      note: str(handoff.note),
      sentiment: str(handoff.sentiment) || 'calm',
      verified: bool(handoff.verified),
      language: str(handoff.language) || 'English',
    },
    customer: { name: str(customer.name), role: str(customer.role) || 'buyer', mood: str(customer.mood) },
    order: {
      id: str(order.id),
      item: str(order.item),
      type: str(order.type) || 'standard',
      lines: list(order.lines).map((l) => ({ label: str(obj(l).label), amount: num(obj(l).amount, 0) })),
      payments: list(order.payments).map((p) => ({ method: str(obj(p).method), amount: num(obj(p).amount, 0), status: str(obj(p).status) })),
    },
    timeline: list(s.timeline).map((t) => ({ at: str(obj(t).at), event: str(obj(t).event), detail: str(obj(t).detail) })),
    chat: list(s.chat).map((c) => ({ from: str(obj(c).from) || 'customer', at: str(obj(c).at), text: str(obj(c).text) })),
    items: list(s.items).map(editorItem),
  };
}

const splitWords = (text: string) => text.split(/[\s,]+/).map((w) => w.trim()).filter(Boolean);
const splitLines = (text: string) => text.split('\n').map((w) => w.trim()).filter(Boolean);
const optional = (text: string) => (text.trim() === '' ? undefined : text);
/** A number input left empty is NaN: kept as null so the schema names the field. */
const number = (n: number) => (Number.isFinite(n) ? n : null);

function itemBody(item: EditorItem): Loose {
  const base: Loose = {
    id: item.id,
    type: item.type,
    prompt: item.prompt,
    points: number(item.points),
    ...(optional(item.topic) ? { topic: item.topic } : {}),
    ...(optional(item.difficulty) ? { difficulty: Number(item.difficulty) } : {}),
    critical: item.critical,
    explanation: item.explanation,
    policies: splitWords(item.policies),
  };
  switch (item.type) {
    case 'single':
    case 'multiple':
      return { ...base, options: item.options.map((o) => ({ ...o })) };
    case 'ordering':
      return { ...base, steps: item.orderSteps.map((s) => ({ ...s })) };
    case 'matching':
      return { ...base, pairs: item.pairs.map((p) => ({ ...p })), distractors: splitLines(item.distractors) };
    case 'written':
      return { ...base, modelReply: item.modelReply, rubric: item.rubric.map((c) => ({ criterion: c.criterion, levels: c.levels.map((l) => ({ points: number(l.points), description: l.description })) })) };
    case 'branching':
      return {
        ...base,
        start: item.start,
        steps: item.steps.map((s) => ({
          id: s.id,
          prompt: s.prompt,
          options: s.options.map((o) => ({ id: o.id, text: o.text, points: number(o.points), unsafe: o.unsafe, feedback: o.feedback, ...(optional(o.next) ? { next: o.next } : {}) })),
        })),
      };
  }
}

/** The editor's values as a scenario body (what is saved as the draft and checked on publish). */
export function fromEditorValues(values: EditorValues): Loose {
  return {
    id: values.id,
    title: values.title,
    week: number(values.week),
    topic: values.topic,
    difficulty: number(values.difficulty),
    summary: values.summary,
    policies: splitWords(values.policies),
    handoff: { ...values.handoff },
    customer: { ...values.customer },
    order: {
      id: values.order.id,
      item: values.order.item,
      type: values.order.type,
      lines: values.order.lines.map((l) => ({ label: l.label, amount: number(l.amount) })),
      payments: values.order.payments.map((p) => ({ method: p.method, amount: number(p.amount), ...(optional(p.status) ? { status: p.status } : {}) })),
    },
    timeline: values.timeline.map((t) => ({ at: t.at, event: t.event, ...(optional(t.detail) ? { detail: t.detail } : {}) })),
    chat: values.chat.map((c) => ({ from: c.from, ...(optional(c.at) ? { at: c.at } : {}), text: c.text })),
    items: values.items.map(itemBody),
  };
}

/**
 * Where the editor shows an error found at `key` (a path in the scenario body): lists of words are
 * one field, and an ordering item's steps are its orderSteps.
 */
export function editorPath(key: string, body: unknown): string {
  const parts = key.split('.');
  const wordList = parts.findIndex((p, i) => (p === 'policies' || p === 'distractors') && /^\d+$/.test(parts[i + 1] ?? ''));
  const kept = wordList === -1 ? parts : parts.slice(0, wordList + 1);
  if (kept[0] === 'items' && kept[2] === 'steps') {
    const item = obj(list(obj(body).items)[Number(kept[1])]);
    if (item.type === 'ordering') kept[2] = 'orderSteps';
  }
  return kept.join('.');
}

/** Errors by scenario path → errors by editor field. */
export function toEditorErrors(errors: Record<string, string[]>, body: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, messages] of Object.entries(errors)) (out[editorPath(key, body)] ??= []).push(...messages);
  return out;
}

/**
 * The rules that tie fields together (conversation links, duplicate ids, one correct answer, cited
 * sections), checked while the scenario is still incomplete: each item that already has its shape
 * is checked with the item rules, and a conversation still being written is checked on its links
 * alone. The editor shows these at once on the field at fault; the rest waits for the field's own check.
 */
export function draftProblems(body: unknown, sectionRefs: ReadonlySet<string> | null): Record<string, string[]> {
  const problems: ScenarioProblem[] = [];
  const scenario = obj(body);
  const refs = (value: unknown, base: (string | number)[]) =>
    list(value).forEach((ref, i) => {
      if (sectionRefs && typeof ref === 'string' && !sectionRefs.has(ref)) problems.push({ path: [...base, i], message: `handbook section ${ref} does not exist in content/policies` });
    });
  refs(scenario.policies, ['policies']);
  const seen = new Set<string>();
  list(scenario.items).forEach((raw, i) => {
    const item = obj(raw);
    const id = str(item.id);
    if (id && seen.has(id)) problems.push({ path: ['items', i, 'id'], message: `another item of this scenario is "${id}"` });
    seen.add(id);
    refs(item.policies, ['items', i, 'policies']);
    const parsed = itemSchema.safeParse(raw);
    const found = parsed.success ? itemProblems(parsed.data) : item.type === 'branching' ? branchingProblems(conversationLinks(item)) : [];
    for (const p of found) problems.push({ path: ['items', i, ...p.path], message: p.message });
  });
  const out: Record<string, string[]> = {};
  for (const p of problems) (out[editorPath(pathKey(p.path), body)] ??= []).push(p.message);
  return out;
}

/** Only what the conversation rules read (ids, links, points, unsafe), from a branching item being written. */
function conversationLinks(item: Loose) {
  return {
    id: str(item.id),
    type: 'branching' as const,
    prompt: '',
    points: 1,
    critical: false,
    explanation: '',
    policies: [],
    start: str(item.start),
    steps: list(item.steps).map((s) => ({
      id: str(obj(s).id),
      prompt: '',
      options: list(obj(s).options).map((o) => {
        const x = obj(o);
        return { id: str(x.id), text: '', points: num(x.points, 0), unsafe: bool(x.unsafe), feedback: '', ...(str(x.next) ? { next: str(x.next) } : {}) };
      }),
    })),
  };
}

/** A new scenario's first draft: the fields a case file needs, mostly empty, and no items yet. */
export function blankScenario(meta: { id: string; title: string; topic: string; week: number; difficulty: number }): Loose {
  return {
    ...meta,
    summary: '',
    policies: [],
    handoff: { intent: '', note: '', sentiment: 'calm', verified: false, language: 'English' },
    customer: { name: '', role: 'buyer', mood: '' },
    order: { id: '', item: '', type: 'standard', lines: [{ label: 'Item price', amount: 0 }], payments: [] },
    timeline: [{ at: '', event: '' }],
    chat: [{ from: 'customer', text: '' }],
    items: [],
  };
}

const choice = (id: string, next: string): EditorChoice => ({ id, text: '', points: 0, unsafe: false, feedback: '', next });

/** A new item of `type` with the least its type needs, and an id not used by `takenIds`. */
export function blankItem(type: ItemType, takenIds: readonly string[]): EditorItem {
  let n = takenIds.length + 1;
  while (takenIds.includes(`q${n}`)) n++;
  const option = (id: string, correct: boolean): EditorOption => ({ id, text: '', correct, unsafe: false, feedback: '' });
  return {
    id: `q${n}`,
    type,
    prompt: '',
    points: type === 'branching' ? 4 : 2,
    topic: '',
    difficulty: '',
    critical: false,
    explanation: '',
    policies: '',
    options: type === 'single' ? [option('a', true), option('b', false)] : type === 'multiple' ? [option('a', true), option('b', true), option('c', false)] : [],
    start: type === 'branching' ? 's1' : '',
    steps:
      type === 'branching'
        ? [
            { id: 's1', prompt: '', options: [{ ...choice('a', 's2'), points: 2 }, choice('b', 's2')] },
            { id: 's2', prompt: '', options: [{ ...choice('a', ''), points: 2 }, choice('b', '')] },
          ]
        : [],
    orderSteps: type === 'ordering' ? ['s1', 's2', 's3'].map((id) => ({ id, text: '' })) : [],
    pairs: type === 'matching' ? ['p1', 'p2'].map((id) => ({ id, evidence: '', conclusion: '' })) : [],
    distractors: '',
    modelReply: '',
    rubric: type === 'written' ? [{ criterion: '', levels: [{ points: 0, description: '' }, { points: 2, description: '' }] }] : [],
  };
}

/** The next free short id among `taken` with this prefix: a, b, c… for options, s3… for steps. */
export function nextId(taken: readonly string[], kind: 'letter' | 'step' | 'pair'): string {
  if (kind === 'letter') {
    for (let i = 0; i < 26; i++) {
      const id = String.fromCharCode(97 + i);
      if (!taken.includes(id)) return id;
    }
    return `o${taken.length + 1}`;
  }
  const prefix = kind === 'step' ? 's' : 'p';
  let n = taken.length + 1;
  while (taken.includes(`${prefix}${n}`)) n++;
  return `${prefix}${n}`;
}

// ---------------------------------------------------------------------------------------------
// Exam blueprints from a plain form (names such as sections.0.difficulty.1)

/** Form fields named with dotted paths → a nested object (numeric parts make arrays). */
export function nestedFromForm(formData: FormData): Loose {
  const root: Loose = {};
  for (const [name, value] of formData) {
    if (typeof value !== 'string' || name === 'intent') continue;
    const parts = name.split('.');
    let at: Loose | unknown[] = root;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const key: string | number = /^\d+$/.test(part) ? Number(part) : part;
      const container = at as Record<string | number, unknown>;
      if (last) container[key] = value;
      else {
        container[key] ??= /^\d+$/.test(parts[i + 1] ?? '') ? [] : {};
        at = container[key] as Loose | unknown[];
      }
    });
  }
  return root;
}

const BLUEPRINT_NUMBERS = ['durationMinutes', 'passMark', 'attemptLimit', 'cooldownHours', 'validityDays', 'recertificationOpensDaysBefore'] as const;

/** A submitted blueprint form in the blueprint's own types (numbers, booleans), for examBlueprintSchema. */
export function blueprintFromForm(formData: FormData): Loose {
  const form = nestedFromForm(formData);
  const toNumber = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v === undefined || v === '' ? undefined : v);
  const out: Loose = { ...form };
  for (const key of BLUEPRINT_NUMBERS) out[key] = toNumber(form[key]);
  const eligibility = obj(form.eligibility);
  out.eligibility = { modulesComplete: eligibility.modulesComplete === 'on' || eligibility.modulesComplete === 'true', notBeforeDay: toNumber(eligibility.notBeforeDay) };
  out.sections = list(form.sections)
    .filter((s) => s !== undefined)
    .map((s) => {
      const section = obj(s);
      return { topic: section.topic, items: toNumber(section.items), difficulty: list(section.difficulty).map(toNumber) };
    });
  return out;
}
