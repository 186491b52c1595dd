// Scenario items as GIFT (https://docs.moodle.org/en/GIFT_format), for trainers who also keep a bank
// in Moodle. What maps: single choice (=right ~wrong), multiple choice (~%w% weights: the correct
// options share 100%, the wrong ones share -100%, as Frontline scores them), matching (=evidence ->
// conclusion, distractors as "= -> conclusion", Moodle's way of writing an answer that matches
// nothing) and written replies as essays. Ordering and branching items have no GIFT form and are
// listed as not exported. Each question carries the scenario's topic as its $CATEGORY, and by
// default the case summary before the prompt, since the item alone lacks its case.
import { TOPIC_LABELS, type ScenarioFile, type ScenarioItem, type Topic } from '~/content/scenario-schema';

export interface GiftExport {
  text: string;
  exported: number;
  notExported: { scenarioId: string; itemId: string; reason: string }[];
  /** What an exported question lost on the way (critical flags, model replies…). */
  notes: { scenarioId: string; itemId: string; note: string }[];
}

const WEIGHT_LIKE = /^%-?\d+(?:\.\d+)?%/;
const FORMAT_LIKE = /^\[(html|moodle|plain|markdown)\]/;

/** GIFT's escapes for its special characters; line breaks become \n so a question stays one block. */
export function escapeGift(text: string): string {
  return text
    .replace(/\r/g, '')
    .replace(/[\\#=~{}:]/g, (c) => `\\${c}`)
    .replace(/\n/g, '\\n');
}

/** A text part: escaped, and marked [plain] when it would otherwise read as a format tag. */
function part(text: string): string {
  return FORMAT_LIKE.test(text) ? `[plain]${escapeGift(text)}` : escapeGift(text);
}

/** Moodle reads percentages with up to 5 decimals (33.33333). */
function weight(value: number): string {
  return `${Number(value.toFixed(5))}`;
}

/** An answer: its marker, and the weight spelled out when the text itself starts like a weight. */
function answer(marker: '=' | '~', percent: number | null, text: string, feedback: string): string {
  const explicit = percent !== null || WEIGHT_LIKE.test(text) ? `%${weight(percent ?? (marker === '=' ? 100 : 0))}%` : '';
  return `\t${marker}${explicit}${part(text)}${feedback ? `#${part(feedback)}` : ''}\n`;
}

function answers(item: ScenarioItem): string | { reason: string } {
  switch (item.type) {
    case 'single':
      return item.options.map((o) => answer(o.correct ? '=' : '~', null, o.text, o.feedback)).join('');
    case 'multiple': {
      const correct = item.options.filter((o) => o.correct).length;
      const wrong = item.options.length - correct;
      return item.options.map((o) => answer('~', o.correct ? 100 / correct : -100 / Math.max(1, wrong), o.text, o.feedback)).join('');
    }
    case 'matching': {
      if (item.pairs.some((p) => p.evidence.includes('->'))) return { reason: 'a piece of evidence contains "->", which GIFT reads as the arrow of a pair' };
      const pairs = item.pairs.map((p) => `\t=${part(p.evidence)} -> ${escapeGift(p.conclusion)}\n`);
      const distractors = item.distractors.map((d) => `\t= -> ${escapeGift(d)}\n`);
      return [...pairs, ...distractors].join('');
    }
    case 'written':
      return '';
    case 'ordering':
      return { reason: 'GIFT has no ordering question' };
    case 'branching':
      return { reason: 'GIFT has no branching conversation' };
  }
}

function categoryLine(topic: Topic): string {
  return `$CATEGORY: $course$/top/${TOPIC_LABELS[topic].replaceAll('/', '//')}\n\n`;
}

export function scenariosToGift(scenarios: readonly ScenarioFile[], options: { caseSummary?: boolean } = {}): GiftExport {
  const caseSummary = options.caseSummary ?? true;
  const result: GiftExport = { text: '', exported: 0, notExported: [], notes: [] };
  const chunks: string[] = [];
  let category: Topic | null = null;
  for (const scenario of scenarios) {
    for (const item of scenario.items) {
      const body = answers(item);
      if (typeof body !== 'string') {
        result.notExported.push({ scenarioId: scenario.id, itemId: item.id, reason: body.reason });
        continue;
      }
      const note = (text: string) => result.notes.push({ scenarioId: scenario.id, itemId: item.id, note: text });
      if (item.critical) note('critical item: Moodle has no unsafe choice that fails the exam');
      if (item.type === 'written') note('written reply: GIFT essays keep neither the model reply nor the rubric');
      const topic = item.topic ?? scenario.topic;
      if (topic !== category) {
        chunks.push(categoryLine(topic));
        category = topic;
      }
      const name = scenario.items.length === 1 ? scenario.title : `${scenario.title} — ${item.id}`;
      const prompt = caseSummary ? `${scenario.summary.trim()}\n\n${item.prompt}` : item.prompt;
      const general = item.explanation ? `\t####${part(item.explanation)}\n` : '';
      chunks.push(`// ${scenario.id} / ${item.id} (${item.type})\n::${escapeGift(name)}::${part(prompt)} {\n${body}${general}}\n\n`);
      result.exported += 1;
    }
  }
  result.text = chunks.join('');
  return result;
}
