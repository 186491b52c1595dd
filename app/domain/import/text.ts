// Question banks hold text in several formats (HTML, Markdown, Moodle's auto-format, plain). Frontline
// shows prompts and feedback as plain text, so HTML becomes its readable text: tags are dropped (script
// and style with their content), block ends become line breaks and entities are decoded. Nothing of
// the markup survives, so nothing of it can run in a page later.

export type TextFormat = 'html' | 'markdown' | 'plain' | 'moodle';

const NAMED_ENTITIES = new Map<string, string>(Object.entries({
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  copy: '©',
  reg: '®',
  euro: '€',
  pound: '£',
  yen: '¥',
  deg: '°',
  times: '×',
  divide: '÷',
  middot: '·',
  bull: '•',
  sect: '§',
  para: '¶',
  shy: '',
  cent: '¢',
  plusmn: '±',
  frac12: '½',
  iexcl: '¡',
  iquest: '¿',
  aacute: 'á',
  eacute: 'é',
  iacute: 'í',
  oacute: 'ó',
  uacute: 'ú',
  Eacute: 'É',
  egrave: 'è',
  agrave: 'à',
  ccedil: 'ç',
  ntilde: 'ñ',
  uuml: 'ü',
  ouml: 'ö',
  auml: 'ä',
  Uuml: 'Ü',
  Ouml: 'Ö',
  Auml: 'Ä',
  szlig: 'ß',
}));

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES.get(name) ?? NAMED_ENTITIES.get(name.toLowerCase()) ?? whole;
  });
}

/** The readable text of an HTML fragment. */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style|head|template)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(/<\/(p|div|li|ul|ol|h[1-6]|tr|table|blockquote|pre)\s*>/gi, '\n')
    .replace(/<(p|div|ul|ol|h[1-6]|tr|table|blockquote|pre)\b[^>]*>/gi, '\n')
    .replace(/<\/?[a-z][^>]*>/gi, '')
    // A "<" that opens no tag is text; one that opens an unfinished tag is dropped with the rest.
    .replace(/<[a-z/!][^>]*$/i, '');
  return tidy(decodeEntities(text));
}

/** Trims each line, keeps at most one blank line in a row, and trims the whole. */
export function tidy(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Text in the given format as Frontline shows it. Markdown is kept as written: it reads as text. */
export function toPlainText(text: string, format: TextFormat): string {
  if (format === 'html' || (format === 'moodle' && /<[a-z][^>]*>/i.test(text))) return htmlToText(text);
  return tidy(text);
}

/** Whether the HTML shows an image or other media, which a text item cannot keep. */
export function hasMedia(html: string): boolean {
  return /<(img|video|audio|object|embed|iframe)\b/i.test(html);
}
