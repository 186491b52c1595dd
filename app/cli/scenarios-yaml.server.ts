// scenarios:export and scenarios:import — the scenario bank in the content/ YAML format, out of the
// database and back in as studio drafts. Exported files are checked by the same schema that loads
// content/, so they can be committed to content/scenarios or imported into another instance.
import fs from 'node:fs';
import path from 'node:path';
import { scenarioProblems } from '~/content/scenario-checks';
import { scenarioSchema, TOPICS, type ScenarioFile } from '~/content/scenario-schema';
import { formatContentError, lineOf, listFiles, parseYaml, validate, type ContentError } from '~/content/yaml.server';
import { scenarioFilePath, scenarioToYaml } from '~/domain/export/content-yaml';
import { scenariosToGift } from '~/domain/export/gift';
import { importScenarioFiles, knownSectionRefs, scenariosForExport } from '~/models/import.server';
import { CliError, parseOptions, required, type CliCommand } from './command.server';
import { parseWithPositional, readTextFile } from './import.server';

const STATUSES = ['published', 'retired', 'draft'] as const;
type Status = (typeof STATUSES)[number];

export const scenariosExport: CliCommand = {
  name: 'scenarios:export',
  usage: '--out DIR [--status published|retired|draft] [--topic TOPIC] [--format yaml|gift] [--json]',
  details: [
    'Writes each scenario as DIR/week-N/<id>.yaml in the content/ format: its current version, or with',
    '--status draft the studio drafts that are complete (incomplete ones are listed, not written).',
    'Without --status, every scenario with a version (published and retired) is written.',
    '--format gift writes DIR/scenarios.gift instead: the items GIFT can hold (ordering and branching are listed as not exported).',
    '--json prints {"exported", "files", "skipped": [{"id", "reason"}]} (with --format gift also "notExported").',
  ],
  async run({ argv, database }) {
    const values = parseOptions(this, argv, {
      out: { type: 'string' },
      status: { type: 'string' },
      topic: { type: 'string' },
      format: { type: 'string' },
      json: { type: 'boolean' },
    });
    const out = path.resolve(required(values.out, '--out', this));
    if (values.status !== undefined && !(STATUSES as readonly string[]).includes(values.status)) {
      throw new CliError(`--status "${values.status}" is not one of ${STATUSES.join(', ')}.`);
    }
    if (values.topic !== undefined && !(TOPICS as readonly string[]).includes(values.topic)) {
      throw new CliError(`--topic "${values.topic}" is not a topic: use one of ${TOPICS.join(', ')}.`);
    }
    const format = values.format ?? 'yaml';
    if (format !== 'yaml' && format !== 'gift') throw new CliError(`--format "${format}" is not one of yaml, gift.`);
    if (fs.existsSync(out) && !fs.statSync(out).isDirectory()) throw new CliError(`--out ${out} is a file: name a directory.`);

    const { db } = await database();
    const rows = await scenariosForExport(db, { status: values.status as Status | undefined, topic: values.topic });
    const skipped = rows.flatMap((r) => (r.ok ? [] : [{ id: r.id, reason: r.reason }]));
    const scenarios = rows.flatMap((r) => (r.ok ? [{ scenario: r.scenario, version: r.version, status: r.status }] : []));
    const date = new Date().toISOString().slice(0, 10);
    const files: string[] = [];
    let notExported: { scenarioId: string; itemId: string; reason: string }[] = [];
    fs.mkdirSync(out, { recursive: true });
    if (format === 'gift') {
      const gift = scenariosToGift(scenarios.map((s) => s.scenario));
      const file = path.join(out, 'scenarios.gift');
      fs.writeFileSync(file, `// Exported from Frontline on ${date}: ${gift.exported} questions from ${scenarios.length} scenarios.\n\n${gift.text}`);
      files.push(file);
      notExported = gift.notExported;
    } else {
      for (const { scenario, version, status } of scenarios) {
        const file = path.join(out, scenarioFilePath(scenario));
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const origin = version === null ? 'the studio draft' : `version ${version} (${status})`;
        fs.writeFileSync(file, scenarioToYaml(scenario, `Exported from Frontline on ${date}: ${origin} of "${scenario.id}".`));
        files.push(file);
      }
    }
    if (values.json) {
      console.log(JSON.stringify({ exported: scenarios.length, files, skipped, ...(format === 'gift' ? { notExported } : {}) }));
      return;
    }
    const noun = scenarios.length === 1 ? 'scenario' : 'scenarios';
    console.log(format === 'gift' ? `Exported ${scenarios.length} ${noun} to ${files[0] ?? out}.` : `Exported ${scenarios.length} ${noun} to ${out}.`);
    for (const s of skipped) console.log(`  not written: ${s.id}: ${s.reason}`);
    for (const n of notExported) console.log(`  not exported: ${n.scenarioId} / ${n.itemId}: ${n.reason}`);
  },
};

export const scenariosImport: CliCommand = {
  name: 'scenarios:import',
  usage: 'DIR|FILE [--dry-run] [--json]',
  details: [
    'Reads content/-format scenario files (a file, or every .yaml under a directory), checks them as content:check does',
    '(schema, item rules, handbook sections) and creates a studio draft for each. An id already in use gets a suffix (-2, -3…).',
    'Any mistake in any file: every problem is printed with its file, field and line, and nothing is imported.',
    '--dry-run  check and report, writing nothing.',
    '--json     print {"imported": N, "scenarios": [{"id", "from"}]}.',
  ],
  async run({ argv, database }) {
    const { values, target } = parseWithPositional(this, argv, { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } });
    const root = path.resolve(target);
    if (!fs.existsSync(root)) throw new CliError(`Cannot read ${target}: no such file or directory.`);
    const isDirectory = fs.statSync(root).isDirectory();
    const files = isDirectory ? [...listFiles(root, '.yaml'), ...listFiles(root, '.yml')].sort() : [root];
    if (files.length === 0) throw new CliError(`${target} holds no .yaml files.`);
    const base = isDirectory ? root : path.dirname(root);

    const { db } = await database();
    const sectionRefs = await knownSectionRefs(db);
    const errors: ContentError[] = [];
    const scenarios: ScenarioFile[] = [];
    for (const file of files) {
      const source = parseYaml(path.relative(base, file) || path.basename(file), readTextFile(file), 0, errors);
      const scenario = source ? validate(scenarioSchema, source, errors) : null;
      if (!source || !scenario) continue;
      const problems = scenarioProblems(scenario, sectionRefs);
      for (const p of problems) errors.push({ file: source.file, field: p.path.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${k}`)).join(''), line: lineOf(source, p.path), message: p.message });
      if (problems.length === 0) scenarios.push(scenario);
    }
    if (errors.length > 0) {
      for (const error of errors) console.error(formatContentError(error));
      throw new CliError(`${errors.length} ${errors.length === 1 ? 'problem' : 'problems'} in ${target}: nothing was imported.`);
    }
    const placed = values['dry-run']
      ? scenarios.map((s) => ({ id: s.id, requestedId: s.id }))
      : await importScenarioFiles(db, { scenarios, createdBy: null, source: target });
    if (values.json) {
      console.log(JSON.stringify({ imported: placed.length, scenarios: placed.map((p) => ({ id: p.id, from: p.requestedId })) }));
      return;
    }
    const noun = placed.length === 1 ? 'scenario' : 'scenarios';
    if (values['dry-run']) {
      console.log(`Checked ${placed.length} ${noun} in ${target}: all can be imported (dry run: nothing was written).`);
      return;
    }
    console.log(`Imported ${placed.length} ${noun} from ${target} as studio drafts: ${placed.map((p) => (p.id === p.requestedId ? p.id : `${p.id} (${p.requestedId} was taken)`)).join(', ')}.`);
  },
};
