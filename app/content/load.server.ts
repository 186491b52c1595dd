// Reads content/ (track.yaml, lessons/**/*.md, policies/*.md, scenarios/ and quizzes/: see scenarios.server.ts,
// exams/: see exams.server.ts), checks every file against its schema
// and the files against each other, and returns either the parsed track or a list of errors that
// each name the file, the field and the line.
import fs from 'node:fs';
import path from 'node:path';
import { loadExams, type ParsedExam } from './exams.server';
import { MARKDOWN_RENDERER_VERSION } from './markdown.server';
import { loadScenarios, type ParsedQuiz, type ParsedScenario } from './scenarios.server';
import {
  fieldName,
  formatContentError,
  lineOf,
  listFiles,
  parseYaml,
  sha256,
  validate,
  type ContentError,
  type YamlSource,
} from './yaml.server';
import {
  lessonFrontMatterSchema,
  policyFrontMatterSchema,
  trackSchema,
  type LessonFrontMatter,
  type PolicyFrontMatter,
  type TrackFile,
} from './schema';

export type { ContentError };
export { formatContentError };

export interface ParsedLesson extends LessonFrontMatter {
  file: string;
  body: string;
  position: number;
  contentHash: string;
}

export interface ParsedPolicySection {
  ref: string;
  title: string;
  anchor: string;
  body: string;
}

export interface ParsedPolicy extends PolicyFrontMatter {
  file: string;
  intro: string;
  sections: ParsedPolicySection[];
  contentHash: string;
}

export interface ParsedContent {
  track: TrackFile & { contentHash: string };
  lessons: ParsedLesson[];
  policies: ParsedPolicy[];
  scenarios: ParsedScenario[];
  quizzes: ParsedQuiz[];
  /** Exam blueprints; not in the database yet. */
  exams: ParsedExam[];
}

export type ContentResult = { ok: true; content: ParsedContent } | { ok: false; errors: ContentError[] };

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/;

function splitFrontMatter(file: string, text: string, errors: ContentError[]) {
  const match = FRONT_MATTER.exec(text);
  if (!match) {
    errors.push({ file, field: null, line: 1, message: 'missing front matter: the file must start with a "---" line, YAML fields, and a closing "---" line' });
    return null;
  }
  const yamlText = match[1] ?? '';
  const source = parseYaml(file, yamlText, 1, errors);
  const body = text.slice(match[0].length);
  const bodyStartLine = match[0].split('\n').length;
  return source ? { source, body, bodyStartLine } : null;
}

const SECTION_HEADING = /^## +(\d{1,2}\.\d{1,2}) +(.+?)\s*$/;

function parsePolicy(file: string, text: string, errors: ContentError[]): ParsedPolicy | null {
  const parts = splitFrontMatter(file, text, errors);
  if (!parts) return null;
  const meta = validate(policyFrontMatterSchema, parts.source, errors);
  if (!meta) return null;
  const lines = parts.body.split('\n');
  const intro: string[] = [];
  const sections: ParsedPolicySection[] = [];
  let current: { ref: string; title: string; lines: string[] } | null = null;
  let headings = 0;
  lines.forEach((line, index) => {
    const lineNumber = parts.bodyStartLine + index;
    if (line.startsWith('## ')) {
      const m = SECTION_HEADING.exec(line);
      if (!m) {
        errors.push({ file, field: 'section heading', line: lineNumber, message: `a "## " heading must be a numbered section such as "## ${meta.number}.1 Title"` });
        return;
      }
      const [, ref = '', title = ''] = m;
      headings += 1;
      const expected = `${meta.number}.${headings}`;
      if (ref !== expected) {
        errors.push({ file, field: 'section heading', line: lineNumber, message: `section "${ref}" is out of order: expected ${expected}` });
      }
      if (current) sections.push({ ...current, anchor: anchorFor(current.ref), body: current.lines.join('\n').trim() });
      current = { ref, title, lines: [] };
      return;
    }
    (current ? current.lines : intro).push(line);
  });
  if (current) {
    const last: { ref: string; title: string; lines: string[] } = current;
    sections.push({ ref: last.ref, title: last.title, anchor: anchorFor(last.ref), body: last.lines.join('\n').trim() });
  }
  if (sections.length === 0) {
    errors.push({ file, field: 'sections', line: parts.bodyStartLine, message: `no numbered sections: add headings such as "## ${meta.number}.1 Title"` });
  }
  return { ...meta, file, intro: intro.join('\n').trim(), sections, contentHash: sha256(text, MARKDOWN_RENDERER_VERSION) };
}

export function anchorFor(ref: string): string {
  return `section-${ref.replace('.', '-')}`;
}

export function loadContent(contentDir: string): ContentResult {
  const errors: ContentError[] = [];
  const rel = (f: string) => path.relative(contentDir, f);

  const trackFile = path.join(contentDir, 'track.yaml');
  if (!fs.existsSync(trackFile)) {
    return { ok: false, errors: [{ file: 'track.yaml', field: null, line: null, message: `not found in ${contentDir}` }] };
  }
  const trackText = fs.readFileSync(trackFile, 'utf8');
  const trackSource = parseYaml('track.yaml', trackText, 0, errors);
  const track = trackSource ? validate(trackSchema, trackSource, errors) : null;

  const policies: ParsedPolicy[] = [];
  for (const file of listFiles(path.join(contentDir, 'policies'), '.md')) {
    const policy = parsePolicy(rel(file), fs.readFileSync(file, 'utf8'), errors);
    if (policy) policies.push(policy);
  }
  const sectionRefs = new Set(policies.flatMap((p) => p.sections.map((s) => s.ref)));
  checkUnique(policies, (p) => p.id, 'id', errors);
  checkUnique(policies, (p) => String(p.number), 'number', errors);

  const lessonSources: { lesson: LessonFrontMatter & { file: string; body: string; text: string }; source: YamlSource }[] = [];
  for (const file of listFiles(path.join(contentDir, 'lessons'), '.md')) {
    const text = fs.readFileSync(file, 'utf8');
    const parts = splitFrontMatter(rel(file), text, errors);
    if (!parts) continue;
    const meta = validate(lessonFrontMatterSchema, parts.source, errors);
    if (!meta) continue;
    if (parts.body.trim().length === 0) {
      errors.push({ file: rel(file), field: 'body', line: parts.bodyStartLine, message: 'the lesson has no text after its front matter' });
    }
    lessonSources.push({ lesson: { ...meta, file: rel(file), body: parts.body, text }, source: parts.source });
  }

  const lessonsById = new Map(lessonSources.map((l) => [l.lesson.id, l.lesson]));
  const seen = new Set<string>();
  for (const { lesson, source } of lessonSources) {
    const at = (field: PropertyKey[]) => ({ file: lesson.file, field: fieldName(field), line: lineOf(source, field) });
    if (seen.has(lesson.id)) errors.push({ ...at(['id']), message: `another lesson already has the id "${lesson.id}"` });
    seen.add(lesson.id);
    if (track) {
      const mod = track.modules.find((m) => m.id === lesson.module);
      if (!mod) {
        errors.push({ ...at(['module']), message: `unknown module "${lesson.module}": track.yaml has ${track.modules.map((m) => m.id).join(', ')}` });
      } else if (lesson.day < mod.days[0] || lesson.day > mod.days[1]) {
        errors.push({ ...at(['day']), message: `day ${lesson.day} is outside ${mod.id}, which runs from day ${mod.days[0]} to ${mod.days[1]}` });
      }
    }
    lesson.policies.forEach((ref, i) => {
      if (!sectionRefs.has(ref)) errors.push({ ...at(['policies', i]), message: `handbook section ${ref} does not exist in content/policies` });
    });
    lesson.prerequisites.forEach((id, i) => {
      const prerequisite = lessonsById.get(id);
      if (!prerequisite) errors.push({ ...at(['prerequisites', i]), message: `unknown lesson "${id}"` });
      else if (prerequisite.day > lesson.day) {
        errors.push({ ...at(['prerequisites', i]), message: `"${id}" opens on day ${prerequisite.day}, after this lesson's day ${lesson.day}` });
      } else if (id === lesson.id) errors.push({ ...at(['prerequisites', i]), message: 'a lesson cannot require itself' });
    });
  }
  for (const cycle of findCycles(lessonSources.map((l) => l.lesson))) {
    const first = lessonSources.find((l) => l.lesson.id === cycle[0]);
    if (first) errors.push({ file: first.lesson.file, field: 'prerequisites', line: lineOf(first.source, ['prerequisites']), message: `prerequisites form a cycle: ${cycle.join(' → ')}` });
  }
  if (track && lessonSources.length === 0) {
    errors.push({ file: 'lessons/', field: null, line: null, message: 'no lessons found' });
  }
  if (track) {
    track.modules.forEach((m, i) => {
      if (trackSource && m.days[1] > track.days) {
        errors.push({ file: 'track.yaml', field: `modules[${i}].days`, line: lineOf(trackSource, ['modules', i, 'days']), message: `module ends on day ${m.days[1]}, after the track's ${track.days} days` });
      }
    });
  }

  const errorsBeforeScenarios = errors.length;
  const { scenarios, quizzes } = loadScenarios(
    { contentDir, sectionRefs, modules: track ? track.modules.map((m) => ({ id: m.id, days: m.days })) : null },
    errors,
  );
  const exams = loadExams(
    {
      contentDir,
      track: track ? { id: track.id, queue: track.queue } : null,
      // Checking blueprints against a bank with broken files would only add noise to the errors.
      scenarios: errors.length === errorsBeforeScenarios ? scenarios : null,
    },
    errors,
  );

  if (errors.length > 0 || !track) return { ok: false, errors };

  const ordered = trackOrder(lessonSources.map((l) => l.lesson));
  const lessons: ParsedLesson[] = ordered.map(({ text, ...lesson }, index) => ({
    ...lesson,
    position: index + 1,
    contentHash: sha256(text, index + 1, MARKDOWN_RENDERER_VERSION),
  }));
  return {
    ok: true,
    content: {
      track: { ...track, contentHash: sha256(trackText) },
      lessons,
      policies: policies.sort((a, b) => a.number - b.number),
      scenarios,
      quizzes,
      exams,
    },
  };
}

/**
 * The order learners meet lessons in: by day, a lesson always after its prerequisites, then by file
 * name. (Prerequisites never open later than the lesson and have no cycles: checked above.)
 */
function trackOrder<T extends { id: string; day: number; file: string; prerequisites: readonly string[] }>(lessons: T[]): T[] {
  const pending = [...lessons].sort((a, b) => a.day - b.day || a.file.localeCompare(b.file));
  const placed = new Set<string>();
  const ordered: T[] = [];
  while (pending.length > 0) {
    const index = pending.findIndex((l) => l.prerequisites.every((p) => placed.has(p)));
    const [next] = pending.splice(index === -1 ? 0 : index, 1);
    if (!next) break;
    placed.add(next.id);
    ordered.push(next);
  }
  return ordered;
}

function checkUnique<T extends { file: string }>(items: T[], key: (item: T) => string, field: string, errors: ContentError[]) {
  const firstFile = new Map<string, string>();
  for (const item of items) {
    const k = key(item);
    const other = firstFile.get(k);
    if (other) errors.push({ file: item.file, field, line: null, message: `"${k}" is already used by ${other}` });
    else firstFile.set(k, item.file);
  }
}

function findCycles(lessons: { id: string; prerequisites: readonly string[] }[]): string[][] {
  const byId = new Map(lessons.map((l) => [l.id, l]));
  const state = new Map<string, 'visiting' | 'done'>();
  const cycles: string[][] = [];
  const visit = (id: string, trail: string[]) => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      cycles.push([...trail.slice(trail.indexOf(id)), id]);
      return;
    }
    state.set(id, 'visiting');
    for (const next of byId.get(id)?.prerequisites ?? []) if (byId.has(next)) visit(next, [...trail, id]);
    state.set(id, 'done');
  };
  for (const l of lessons) visit(l.id, []);
  return cycles;
}
