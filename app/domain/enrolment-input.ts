// Turning what a manager pastes or uploads into rows to enrol: a list of emails, or a CSV file
// (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes, CRLF, a byte-order mark).
// Pure: rows come back numbered, with a reason on each one that cannot be used, so the preview can
// show every problem at once instead of stopping at the first.
import { isIsoDate } from './calendar';

/** The most a paste or an upload may hold: about 5,000 rows of email, name and date. */
export const MAX_INPUT_BYTES = 1_048_576;
export const MAX_INPUT_ROWS = 5_000;

export interface EnrolmentInputRow {
  /** The entry number of a paste; for a CSV, the row number a spreadsheet shows (the header is row 1). */
  row: number;
  /** Lower-cased and trimmed when valid; as typed otherwise, so the preview shows what was wrong. */
  email: string;
  name: string | null;
  /** A personal start date (day 1 of the track), YYYY-MM-DD. */
  startDate: string | null;
  /** Why the row cannot be used; null when it can. */
  error: string | null;
}

export type EnrolmentInput = { ok: true; rows: EnrolmentInputRow[] } | { ok: false; error: string };

// The same rule as the email fields of the forms (zod's z.email()).
const EMAIL_RE = /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;
const MAX_NAME = 100;

export function isValidEmail(email: string): boolean {
  return email.length <= 254 && EMAIL_RE.test(email);
}

function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

function tooLarge(text: string): string | null {
  if (byteLength(text) > MAX_INPUT_BYTES) return `This is more than ${MAX_INPUT_BYTES / 1_048_576} MB: split it into smaller lists of at most ${MAX_INPUT_ROWS.toLocaleString('en')} rows.`;
  return null;
}

function tooManyRows(count: number): string {
  return `There are ${count.toLocaleString('en')} rows: at most ${MAX_INPUT_ROWS.toLocaleString('en')} can be enrolled at once. Split the list.`;
}

/** Checks each row and marks a repeated email (a later row repeating an earlier one) as an error. */
function checkRows(raw: readonly { row: number; email: string; name: string; startDate: string; error?: string | null }[]): EnrolmentInputRow[] {
  const firstRowOf = new Map<string, number>();
  return raw.map(({ row, email: typed, name: typedName, startDate: typedDate, error: malformed }) => {
    const email = typed.trim().toLowerCase();
    // A line break inside a quoted name (or one a browser rewrote as CRLF) is just a space.
    const name = typedName.trim().replace(/\s+/g, ' ') || null;
    const startDate = typedDate.trim() || null;
    // A malformed record's cells may not be what the manager meant: its own error comes first.
    const error = malformed ?? cellProblem(email, typed, name, startDate) ?? duplicateOf(firstRowOf, email, row);
    return { row, email: error ? typed.trim() : email, name, startDate, error };
  });
}

function cellProblem(email: string, typed: string, name: string | null, startDate: string | null): string | null {
  if (!email) return 'The email is missing.';
  if (!isValidEmail(email)) return `“${typed.trim()}” is not an email address.`;
  if (startDate !== null && !isIsoDate(startDate)) return `The start date “${startDate}” is not a calendar date: use YYYY-MM-DD, e.g. 2026-03-02.`;
  if (name !== null && name.length > MAX_NAME) return `The name is longer than ${MAX_NAME} characters.`;
  return null;
}

/** Remembers the first row of each email; a later row with the same email is a duplicate. */
function duplicateOf(firstRowOf: Map<string, number>, email: string, row: number): string | null {
  const first = firstRowOf.get(email);
  if (first !== undefined) return `Duplicate: ${email} is already on row ${first}.`;
  firstRowOf.set(email, row);
  return null;
}

// "Ana Lima <ana@example.com>", as mail programs copy addresses.
const NAMED_ADDRESS = /^(.*?)\s*<([^<>]*)>$/;

/**
 * A pasted list: one email per line, or separated by commas or semicolons (or spaces). An entry
 * may be written "Name <email>". Entries are numbered from 1 in the order they appear.
 */
export function parseEmailList(text: string): EnrolmentInput {
  const size = tooLarge(text);
  if (size) return { ok: false, error: size };
  const entries: { email: string; name: string }[] = [];
  for (const part of text.replace(/^\uFEFF/, '').split(/[\r\n,;]+/)) {
    const entry = part.trim();
    if (!entry) continue;
    const named = NAMED_ADDRESS.exec(entry);
    if (named) entries.push({ name: (named[1] ?? '').replace(/^"(.*)"$/, '$1'), email: named[2] ?? '' });
    else for (const word of entry.split(/\s+/)) entries.push({ name: '', email: word });
  }
  if (entries.length === 0) return { ok: false, error: 'Paste at least one email address.' };
  if (entries.length > MAX_INPUT_ROWS) return { ok: false, error: tooManyRows(entries.length) };
  return { ok: true, rows: checkRows(entries.map((e, i) => ({ row: i + 1, ...e, startDate: '' }))) };
}

export interface CsvRecord {
  /** 1-based: the row a spreadsheet shows (a line break inside quotes does not start a new row). */
  row: number;
  fields: string[];
  /** Set when the record is malformed (e.g. text after a closing quote). */
  error: string | null;
}

export type CsvParse = { ok: true; records: CsvRecord[] } | { ok: false; error: string };

/**
 * RFC 4180 records. Lenient where spreadsheets are: LF or CR alone also end a record, and a quote
 * inside an unquoted field is kept as text. A quoted field must be closed; text after its closing
 * quote marks the record as malformed.
 */
export function parseCsv(text: string, delimiter = ','): CsvParse {
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let error: string | null = null;
  let row = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endField = () => {
    fields.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    records.push({ row, fields, error });
    fields = [];
    error = null;
    row += 1;
  };
  let atFieldStart = true;
  while (i < text.length) {
    const ch = text[i];
    if (atFieldStart && ch === '"') {
      const startRow = row;
      i += 1;
      for (;;) {
        if (i >= text.length) return { ok: false, error: `Row ${startRow}: a quoted field is never closed. Check for a missing ".` };
        const c = text[i];
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        field += c;
        i += 1;
      }
      // After the closing quote only a delimiter or the end of the record may follow.
      let trailing = '';
      while (i < text.length && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') trailing += text[i++];
      if (trailing.trim()) error ??= `Text after a closing quote (“${trailing.trim().slice(0, 20)}”): put the whole field in quotes.`;
      atFieldStart = false;
      continue;
    }
    if (ch === delimiter) {
      endField();
      atFieldStart = true;
      i += 1;
    } else if (ch === '\r' || ch === '\n') {
      endRecord();
      atFieldStart = true;
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      atFieldStart = false;
      i += 1;
    }
  }
  // A final line break does not start an empty record.
  if (!atFieldStart || fields.length > 0 || field !== '') endRecord();
  return { ok: true, records };
}

type Column = 'email' | 'name' | 'startDate';
const HEADER_NAMES: Record<string, Column> = {
  email: 'email',
  'e-mail': 'email',
  'email address': 'email',
  'e-mail address': 'email',
  name: 'name',
  'full name': 'name',
  'start date': 'startDate',
  start: 'startDate',
  'personal start date': 'startDate',
};

function headerColumn(cell: string): Column | undefined {
  // "start_date", "Start date" and "START  DATE" are the same column.
  return HEADER_NAMES[cell.trim().toLowerCase().replace(/[\s_]+/g, ' ')];
}

/** Spreadsheets in some locales save with semicolons (or tabs): tell from the first line. */
function detectDelimiter(text: string): string {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/, 1)[0] ?? '';
  if (firstLine.includes(',')) return ',';
  if (firstLine.includes(';')) return ';';
  if (firstLine.includes('\t')) return '\t';
  return ',';
}

/**
 * A CSV of learners: columns email, name (optional) and start_date (optional, YYYY-MM-DD). A header
 * row is recognised by its column names (in any order; other columns are ignored); without one the
 * columns are taken in that order. Blank rows are skipped.
 */
export function parseEnrolmentCsv(text: string): EnrolmentInput {
  const size = tooLarge(text);
  if (size) return { ok: false, error: size };
  const parsed = parseCsv(text, detectDelimiter(text));
  if (!parsed.ok) return parsed;
  const records = parsed.records.filter((r) => r.fields.some((f) => f.trim() !== ''));
  if (records.length === 0) return { ok: false, error: 'The file has no rows.' };

  let columns: Record<Column, number> = { email: 0, name: 1, startDate: 2 };
  const first = records[0];
  const headerCells = first?.fields.map(headerColumn) ?? [];
  if (headerCells.some((c) => c !== undefined)) {
    if (!headerCells.includes('email')) return { ok: false, error: 'The header row has no “email” column.' };
    columns = { email: -1, name: -1, startDate: -1 };
    headerCells.forEach((column, index) => {
      if (column && columns[column] === -1) columns[column] = index;
    });
    records.shift();
  }
  if (records.length === 0) return { ok: false, error: 'The file has a header row but no learners.' };
  if (records.length > MAX_INPUT_ROWS) return { ok: false, error: tooManyRows(records.length) };

  const cell = (fields: string[], column: Column) => (columns[column] >= 0 ? (fields[columns[column]] ?? '') : '');
  return {
    ok: true,
    rows: checkRows(
      records.map((r) => ({ row: r.row, email: cell(r.fields, 'email'), name: cell(r.fields, 'name'), startDate: cell(r.fields, 'startDate'), error: r.error })),
    ),
  };
}
