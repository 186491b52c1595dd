// import FILE — a question bank from another LMS (GIFT or Moodle XML) into the studio as draft
// scenarios, one per question, all in one transaction. What cannot map is listed with its line
// (GIFT) or name (Moodle XML) and the reason; --dry-run reads and reports without writing.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { TOPICS, topicLabel, type Topic } from '~/content/scenario-schema';
import { detectFormat, parseQuestionBank } from '~/domain/import/parse';
import { DEFAULT_IMPORT_TOPIC } from '~/domain/import/to-scenario';
import { countByType, ImportFileError, IMPORT_FORMATS, type ImportFormat, type ImportResult, type SkippedQuestion } from '~/domain/import/types';
import { CliError, INVOCATION, type CliCommand } from './command.server';

/** Larger than any real question bank; stops a wrong path (a database, an archive) early. */
export const MAX_IMPORT_FILE_BYTES = 20 * 1024 * 1024;

/** Options and one positional argument, every mistake as one line that points to the usage. */
export function parseWithPositional<const O extends Record<string, { type: 'string' } | { type: 'boolean' }>>(command: CliCommand, argv: string[], options: O) {
  const usage = `Usage: ${INVOCATION} ${command.name} ${command.usage}`;
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
    const option = /'(-[^' ]+)/.exec(message)?.[1];
    const code = (error as { code?: unknown }).code;
    const reason =
      code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? `Unknown option ${option}.` : code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' ? `${option} needs a value.` : message;
    throw new CliError(`${reason} ${usage}`);
  }
  if (parsed.positionals.length !== 1) {
    throw new CliError(`${parsed.positionals.length === 0 ? 'Name the file to import.' : `One path at a time (got ${parsed.positionals.length}).`} ${usage}`);
  }
  return { values: parsed.values, target: parsed.positionals[0] ?? '' };
}

/** A file's text; any reason it cannot be read as UTF-8 text is one line. */
export function readTextFile(file: string): string {
  let bytes: Buffer;
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) throw new CliError(`${file} is a directory: name a file.`);
    if (stat.size > MAX_IMPORT_FILE_BYTES) throw new CliError(`${file} is larger than ${MAX_IMPORT_FILE_BYTES / 1024 / 1024} MB: split it into smaller files.`);
    bytes = fs.readFileSync(file);
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as { code?: unknown }).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : error instanceof Error ? error.message : String(error);
    throw new CliError(`Cannot read ${file}: ${reason}.`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CliError(`${file} is not UTF-8 text: save it as UTF-8 and import it again.`);
  }
}

export function skippedWhere(skipped: SkippedQuestion): string {
  return skipped.line !== undefined ? `line ${skipped.line}` : `“${skipped.name ?? '?'}”`;
}

function describeCounts(byType: Record<string, number | undefined>): string {
  const parts = Object.entries(byType).map(([type, count]) => `${count} ${type}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function report(result: ImportResult): { imported: number; skipped: SkippedQuestion[]; byType: Record<string, number | undefined> } {
  return { imported: result.questions.length, skipped: result.skipped, byType: countByType(result.questions) };
}

export const importCommand: CliCommand = {
  name: 'import',
  usage: 'FILE [--format gift|moodle-xml] [--topic TOPIC] [--dry-run] [--json]',
  details: [
    'Each question becomes a draft scenario in the studio, to complete (case file, handbook sections) and publish there.',
    'Imported: multiple choice (single and multiple answer, with weights), true/false, matching, short answer and essay',
    '(both as written replies). Skipped, with the line or name and the reason: numerical and other types without a Frontline item.',
    '--format   gift or moodle-xml; without it, a .xml file or one that starts like XML is Moodle XML, anything else GIFT.',
    `--topic    the topic of questions whose category names none (default ${DEFAULT_IMPORT_TOPIC}); one of: ${TOPICS.join(', ')}.`,
    '--dry-run  read the file and report, writing nothing.',
    '--json     print {"imported": N, "skipped": [{"line"|"name", "reason"}], "byType": {...}}.',
    'Nothing is half-imported: the questions are written in one transaction.',
  ],
  async run({ argv, database }) {
    const { values, target } = parseWithPositional(this, argv, {
      format: { type: 'string' },
      topic: { type: 'string' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
    });
    if (values.format !== undefined && !(IMPORT_FORMATS as readonly string[]).includes(values.format)) {
      throw new CliError(`--format "${values.format}" is not one of ${IMPORT_FORMATS.join(', ')}.`);
    }
    if (values.topic !== undefined && !(TOPICS as readonly string[]).includes(values.topic)) {
      throw new CliError(`--topic "${values.topic}" is not a topic: use one of ${TOPICS.join(', ')}.`);
    }
    const text = readTextFile(target);
    const fileName = path.basename(target);
    const format = (values.format as ImportFormat | undefined) ?? detectFormat(fileName, text);
    let result: ImportResult;
    try {
      result = parseQuestionBank(format, text);
    } catch (error) {
      if (error instanceof ImportFileError) throw new CliError(`${fileName}: ${error.message}`);
      throw error;
    }
    const defaultTopic = (values.topic as Topic | undefined) ?? DEFAULT_IMPORT_TOPIC;
    const summary = report(result);
    if (!values['dry-run'] && result.questions.length > 0) {
      const { db } = await database();
      const { importQuestions } = await import('~/models/import.server');
      await importQuestions(db, { result, createdBy: null, format, fileName, defaultTopic });
    }
    if (values.json) {
      console.log(JSON.stringify(summary));
      return;
    }
    const verb = values['dry-run'] ? 'Would import' : 'Imported';
    const noun = summary.imported === 1 ? 'question' : 'questions';
    console.log(`${verb} ${summary.imported} ${noun} from ${fileName}${describeCounts(summary.byType)} as draft scenarios${values['dry-run'] ? ' (dry run: nothing was written)' : ''}.`);
    const untopical = result.questions.filter((q) => q.topic === null).length;
    if (untopical > 0) console.log(`${untopical} had no category naming a topic: they are on “${topicLabel(defaultTopic)}” (change it in the editor).`);
    if (summary.skipped.length > 0) {
      console.log(`Skipped ${summary.skipped.length}:`);
      for (const s of summary.skipped) console.log(`  ${skippedWhere(s)}: ${s.reason}`);
    }
  },
};
