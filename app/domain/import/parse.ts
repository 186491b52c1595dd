// One entry for both formats, and a guess at the format when the person importing leaves it open.
import { parseGift } from './gift';
import { parseMoodleXml } from './moodle-xml';
import type { ImportFormat, ImportResult } from './types';

export function parseQuestionBank(format: ImportFormat, text: string): ImportResult {
  return format === 'gift' ? parseGift(text) : parseMoodleXml(text);
}

/** Moodle XML when the file says so (its name or its first characters), else GIFT. */
export function detectFormat(fileName: string, text: string): ImportFormat {
  if (/\.xml$/i.test(fileName)) return 'moodle-xml';
  return /^\uFEFF?\s*<(\?xml|quiz\b)/.test(text) ? 'moodle-xml' : 'gift';
}
