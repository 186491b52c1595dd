// What changed between two versions of a scenario, field by field, in words a trainer can read:
// "Item "which-team" › option "b" › feedback: changed from … to …". Lists of things with an id
// (items, options, steps, pairs) are matched by id, so moving or inserting one does not show every
// later one as changed; other lists (timeline, chat, order lines) are compared by position. Pure.

export type DiffKind = 'added' | 'removed' | 'changed';

export interface DiffEntry {
  /** Where, readable: Item "which-team" › Option "b" › Feedback */
  where: string;
  kind: DiffKind;
  /** The value before, as text (null when added). */
  before: string | null;
  /** The value after, as text (null when removed). */
  after: string | null;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Singular names of the lists, for "Timeline event 2", "Option "b"". */
const ENTRY_NAMES: Record<string, string> = {
  items: 'Item',
  options: 'Option',
  steps: 'Step',
  pairs: 'Pair',
  timeline: 'Timeline event',
  chat: 'Chat message',
  lines: 'Order line',
  payments: 'Payment',
  policies: 'Handbook section',
  rubric: 'Rubric criterion',
  levels: 'Level',
  distractors: 'Distractor',
};

const FIELD_NAMES: Record<string, string> = {
  modelReply: 'Model reply',
  handoff: 'Hand-off',
  at: 'Time',
};

function fieldName(key: string): string {
  if (FIELD_NAMES[key]) return FIELD_NAMES[key];
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A list whose entries are objects with distinct string ids: matched by id. */
function idList(value: unknown): Map<string, Record<string, Json>> | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  const byId = new Map<string, Record<string, Json>>();
  for (const entry of value) {
    if (!isObject(entry) || typeof entry.id !== 'string' || byId.has(entry.id)) return null;
    byId.set(entry.id, entry);
  }
  return byId;
}

/** A value as one line of text: a thing's own words when it has them, else compact JSON. */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null)) return value.map((v) => describeValue(v)).join(', ');
    return value.map((v) => describeValue(v)).join(' | ');
  }
  if (isObject(value)) {
    const words = value.prompt ?? value.text ?? value.event ?? value.evidence ?? value.criterion ?? value.label ?? value.method ?? value.description;
    if (typeof words === 'string') {
      const prefix = typeof value.type === 'string' ? `${value.type}: ` : typeof value.at === 'string' ? `${value.at} ` : '';
      return `${prefix}${words}`;
    }
  }
  return JSON.stringify(value);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function walk(before: unknown, after: unknown, where: string[], out: DiffEntry[]) {
  if (same(before, after)) return;
  const at = where.join(' › ') || 'Scenario';
  if (before === undefined) {
    out.push({ where: at, kind: 'added', before: null, after: describeValue(after) });
    return;
  }
  if (after === undefined) {
    out.push({ where: at, kind: 'removed', before: describeValue(before), after: null });
    return;
  }
  if (isObject(before) && isObject(after)) {
    const keys = [...Object.keys(before), ...Object.keys(after).filter((k) => !(k in before))];
    for (const key of keys) {
      walkField(key, before[key], after[key], [...where, fieldName(key)], out);
    }
    return;
  }
  out.push({ where: at, kind: 'changed', before: describeValue(before), after: describeValue(after) });
}

function walkField(key: string, before: unknown, after: unknown, where: string[], out: DiffEntry[]) {
  if (same(before, after)) return;
  const entry = ENTRY_NAMES[key];
  const parent = where.slice(0, -1);
  const beforeIds = idList(before);
  const afterIds = idList(after);
  const emptyOr = (v: unknown) => Array.isArray(v) && v.length === 0;
  // Lists of things with ids: matched by id, in the order of the new version (removed ones first where they were).
  if (entry && (beforeIds || emptyOr(before)) && (afterIds || emptyOr(after)) && (beforeIds || afterIds)) {
    const b = beforeIds ?? new Map<string, Record<string, Json>>();
    const a = afterIds ?? new Map<string, Record<string, Json>>();
    for (const [id, old] of b) if (!a.has(id)) walk(old, undefined, [...parent, `${entry} "${id}"`], out);
    for (const [id, now] of a) walk(b.get(id), now, [...parent, `${entry} "${id}"`], out);
    const order = (m: Map<string, unknown>) => [...m.keys()].filter((id) => a.has(id) && b.has(id));
    if (!same(order(b), order(a))) {
      out.push({ where: [...where].join(' › '), kind: 'changed', before: `order ${order(b).join(', ')}`, after: `order ${order(a).join(', ')}` });
    }
    return;
  }
  // Other lists of objects: by position ("Timeline event 2").
  if (entry && Array.isArray(before) && Array.isArray(after) && [...before, ...after].some((v) => isObject(v))) {
    const n = Math.max(before.length, after.length);
    for (let i = 0; i < n; i++) walk(before[i], after[i], [...parent, `${entry} ${i + 1}`], out);
    return;
  }
  walk(before, after, where, out);
}

/** The differences from `before` to `after` (two scenario bodies, or drafts of any shape). */
export function diffScenarios(before: unknown, after: unknown): DiffEntry[] {
  const out: DiffEntry[] = [];
  walk(before, after, [], out);
  return out;
}
