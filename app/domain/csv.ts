// CSV as RFC 4180 writes it (CRLF line ends; a field holding a comma, a double quote, CR or LF is
// quoted and its quotes doubled), made safe to open in a spreadsheet: a text cell that starts with
// = + - @ tab or CR would be read as a formula, so it gets a leading single quote (OWASP's advice).
// Numbers are written as they are: a number is never a formula.

/** Spreadsheets (Excel above all) read the file as UTF-8 only when it starts with this. */
export const CSV_BOM = '\uFEFF';
export const CSV_LINE_END = '\r\n';

export type CsvValue = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One field, neutralised and quoted as needed; null and undefined are empty. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, with its CRLF. */
export function csvLine(values: readonly CsvValue[]): string {
  return values.map(csvField).join(',') + CSV_LINE_END;
}

/** A whole document: the BOM, then each record. For long exports stream csvLine instead. */
export function csvDocument(rows: readonly (readonly CsvValue[])[]): string {
  return CSV_BOM + rows.map(csvLine).join('');
}
