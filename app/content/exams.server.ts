// Reads the exam blueprints (content/exams/*.yaml), checks each against its schema, the track and
// the scenario bank: every section must be fillable from the scenarios loaded alongside it, so a
// blueprint the bank cannot satisfy stops the start-up instead of failing a learner's exam.
// (Trainer-authored scenarios join the pool in the database; the draw itself checks again then.)
import fs from 'node:fs';
import path from 'node:path';
import { drawExam, poolItemsOf } from '~/domain/exam-draw';
import { examBlueprintSchema, type ExamBlueprint, type ExamSection } from './exam-schema';
import type { ParsedScenario } from './scenarios.server';
import { fieldName, lineOf, listFiles, parseYaml, sha256, validate, type ContentError } from './yaml.server';

export interface ParsedExam extends ExamBlueprint {
  file: string;
  contentHash: string;
}

interface Context {
  contentDir: string;
  /** The track, when track.yaml is valid. */
  track: { id: string; queue: string } | null;
  /** The scenarios that loaded; null when the bank had errors (the pool check would only add noise). */
  scenarios: readonly ParsedScenario[] | null;
}

export function loadExams(context: Context, errors: ContentError[]): ParsedExam[] {
  const exams: ParsedExam[] = [];
  const seen = new Map<string, string>();
  const pool = context.scenarios?.flatMap((scenario) => poolItemsOf(scenario, 0)) ?? null;
  for (const file of listFiles(path.join(context.contentDir, 'exams'), '.yaml')) {
    const text = fs.readFileSync(file, 'utf8');
    const source = parseYaml(path.relative(context.contentDir, file), text, 0, errors);
    const blueprint = source ? validate(examBlueprintSchema, source, errors) : null;
    if (!source || !blueprint) continue;
    const at = (fieldPath: (string | number)[]) => ({ file: source.file, field: fieldName(fieldPath), line: lineOf(source, fieldPath) });

    const expectedId = path.basename(file, '.yaml');
    if (blueprint.id !== expectedId) errors.push({ ...at(['id']), message: `the id must match the file name ("${expectedId}")` });
    const other = seen.get(blueprint.id);
    if (other) errors.push({ ...at(['id']), message: `"${blueprint.id}" is already used by ${other}` });
    seen.set(blueprint.id, source.file);

    const { track } = context;
    if (track && blueprint.track !== track.id) {
      errors.push({ ...at(['track']), message: `unknown track "${blueprint.track}": track.yaml has "${track.id}"` });
    } else if (track && blueprint.queue !== track.queue) {
      errors.push({ ...at(['queue']), message: `the track ${track.id} prepares agents for the queue "${track.queue}", not "${blueprint.queue}"` });
    }
    // notBeforeDay may lie after the track's last day: a learner's day keeps counting once the track is over.

    if (pool) {
      const draw = drawExam({ blueprint, pool, seed: 0 });
      if (!draw.ok) errors.push({ ...at(['sections', draw.shortSection]), message: shortageMessage(blueprint.sections, draw) });
    }
    exams.push({ ...blueprint, file: source.file, contentHash: sha256(text) });
  }
  return exams;
}

function describeSection(section: ExamSection): string {
  const [min, max] = section.difficulty;
  return `topic ${section.topic} at difficulty ${min === max ? min : `${min}–${max}`}`;
}

/** Why a section cannot be filled, for the error on that section ("needs 4 items of topic payments at difficulty 3–5, …"). */
export function shortageMessage(
  sections: readonly ExamSection[],
  draw: { shortSection: number; sections: readonly number[]; needed: number; available: number },
): string {
  const short = sections[draw.shortSection]!;
  if (draw.sections.length <= 1) {
    const has = draw.available === 0 ? 'has none' : `has such items in only ${draw.available} ${draw.available === 1 ? 'scenario' : 'scenarios'}`;
    return `needs ${short.items} ${short.items === 1 ? 'item' : 'items'} of ${describeSection(short)}, each from a different scenario; the pool ${has}`;
  }
  const names = draw.sections.map((j) => `sections[${j}]`);
  const list = `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return (
    `cannot be filled: ${list} (${draw.sections.map((j) => describeSection(sections[j]!)).join('; ')}) ` +
    `together need ${draw.needed} items from different scenarios, and only ${draw.available} scenarios have an item for any of them`
  );
}
