// Reads the scenario bank (content/scenarios/**/*.yaml) and the weekly practice quizzes
// (content/quizzes/*.yaml), checking each against its schema, the item rules and the rest of content/.
import fs from 'node:fs';
import path from 'node:path';
import { scenarioProblems } from './scenario-checks';
import { quizSchema, scenarioSchema, type QuizFile, type ScenarioFile } from './scenario-schema';
import { lineOf, listFiles, parseYaml, sha256, validate, type ContentError, type YamlSource } from './yaml.server';

export interface ParsedScenario extends ScenarioFile {
  file: string;
  contentHash: string;
}

export interface ParsedQuiz extends QuizFile {
  file: string;
  contentHash: string;
}

interface Context {
  contentDir: string;
  sectionRefs: ReadonlySet<string>;
  /** The track's modules, when track.yaml is valid. */
  modules: { id: string; days: [number, number] }[] | null;
}

export function loadScenarios(context: Context, errors: ContentError[]): { scenarios: ParsedScenario[]; quizzes: ParsedQuiz[] } {
  const rel = (f: string) => path.relative(context.contentDir, f);
  const scenarios: ParsedScenario[] = [];
  const seen = new Map<string, string>();
  for (const file of listFiles(path.join(context.contentDir, 'scenarios'), '.yaml')) {
    const text = fs.readFileSync(file, 'utf8');
    const source = parseYaml(rel(file), text, 0, errors);
    const scenario = source ? validate(scenarioSchema, source, errors) : null;
    if (!source || !scenario) continue;
    const at = (fieldPath: (string | number)[]) => ({ file: source.file, field: fieldLabel(fieldPath), line: lineOf(source, fieldPath) });
    const expectedId = path.basename(file, '.yaml');
    if (scenario.id !== expectedId) errors.push({ ...at(['id']), message: `the id must match the file name ("${expectedId}")` });
    const other = seen.get(scenario.id);
    if (other) errors.push({ ...at(['id']), message: `"${scenario.id}" is already used by ${other}` });
    seen.set(scenario.id, source.file);
    checkScenario(scenario, source, context, errors);
    scenarios.push({ ...scenario, file: source.file, contentHash: sha256(text) });
  }

  const quizzes: ParsedQuiz[] = [];
  const scenarioIds = new Set(scenarios.map((s) => s.id));
  for (const file of listFiles(path.join(context.contentDir, 'quizzes'), '.yaml')) {
    const text = fs.readFileSync(file, 'utf8');
    const source = parseYaml(rel(file), text, 0, errors);
    const quiz = source ? validate(quizSchema, source, errors) : null;
    if (!source || !quiz) continue;
    const at = (fieldPath: (string | number)[]) => ({ file: source.file, field: fieldLabel(fieldPath), line: lineOf(source, fieldPath) });
    const module = context.modules?.find((m) => m.id === quiz.module);
    if (context.modules && !module) errors.push({ ...at(['module']), message: `unknown module "${quiz.module}"` });
    if (module && (quiz.day < module.days[0] || quiz.day > module.days[1])) {
      errors.push({ ...at(['day']), message: `day ${quiz.day} is outside ${module.id} (days ${module.days[0]}–${module.days[1]})` });
    }
    if (quizzes.some((q) => q.module === quiz.module)) errors.push({ ...at(['module']), message: `${quiz.module} already has a quiz` });
    quiz.scenarios.forEach((id, i) => {
      if (!scenarioIds.has(id)) errors.push({ ...at(['scenarios', i]), message: `no scenario has the id "${id}"` });
    });
    quizzes.push({ ...quiz, file: source.file, contentHash: sha256(text) });
  }
  return { scenarios, quizzes };
}

function fieldLabel(fieldPath: readonly (string | number)[]): string {
  return fieldPath.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${p}`)).join('');
}

function checkScenario(scenario: ScenarioFile, source: YamlSource, context: Context, errors: ContentError[]) {
  for (const problem of scenarioProblems(scenario, context.sectionRefs)) {
    errors.push({ file: source.file, field: fieldLabel(problem.path), line: lineOf(source, problem.path), message: problem.message });
  }
}
