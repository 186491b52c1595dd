// content:check — validates content/ the way `npm start` does, without a database, so authors and
// CI can check a change before it ships.
import path from 'node:path';
import { formatContentError, loadContent, type ParsedContent } from '~/content/load.server';
import { env } from '~/env.server';
import { CliError, parseOptions, type CliCommand } from './command.server';

export interface ContentSummary {
  lessons: number;
  scenarios: number;
  items: number;
  itemsByType: Record<string, number>;
  critical: number;
  exams: number;
}

export function summariseContent(content: ParsedContent): ContentSummary {
  const { scenarios } = content;
  const items = scenarios.flatMap((s) => s.items);
  const itemsByType: Record<string, number> = {};
  for (const item of items) itemsByType[item.type] = (itemsByType[item.type] ?? 0) + 1;
  return {
    lessons: content.lessons.length,
    scenarios: scenarios.length,
    items: items.length,
    itemsByType,
    critical: items.filter((i) => i.critical).length,
    exams: content.exams.length,
  };
}

export const contentCheck: CliCommand = {
  name: 'content:check',
  usage: '[--json]',
  details: ['--json prints the counts as one JSON object: {"lessons", "scenarios", "items", "itemsByType", "critical", "exams"}.'],
  async run({ argv }) {
    const values = parseOptions(this, argv, { json: { type: 'boolean' } });
    const dir = path.resolve(env().CONTENT_DIR);
    const loaded = loadContent(dir);
    if (!loaded.ok) {
      for (const error of loaded.errors) console.error(formatContentError(error));
      const count = loaded.errors.length;
      throw new CliError(`${count} ${count === 1 ? 'problem' : 'problems'} in ${dir}.`);
    }
    const summary = summariseContent(loaded.content);
    if (values.json) {
      console.log(JSON.stringify(summary));
      return;
    }
    const { track, policies } = loaded.content;
    const sections = policies.reduce((n, p) => n + p.sections.length, 0);
    console.log(
      `Content OK: track "${track.title}" (${track.days} days, ${track.modules.length} modules), ${summary.lessons} lessons, ` +
        `${policies.length} handbook parts with ${sections} sections, ${summary.scenarios} scenarios with ${summary.items} items ` +
        `(${summary.critical} critical), ${loaded.content.quizzes.length} weekly quizzes, ` +
        `${summary.exams} exam ${summary.exams === 1 ? 'blueprint' : 'blueprints'}.`,
    );
  },
};
