import { describe, expect, it } from 'vitest';
import { MAX_INPUT_ROWS, parseCsv, parseEmailList, parseEnrolmentCsv, type EnrolmentInput } from '~/domain/enrolment-input';

function rowsOf(input: EnrolmentInput) {
  if (!input.ok) throw new Error(`expected rows, got: ${input.error}`);
  return input.rows;
}

function errorOf(input: EnrolmentInput) {
  if (input.ok) throw new Error('expected the whole input to be refused');
  return input.error;
}

describe('parseEmailList', () => {
  it('takes one email per line, lower-cased and trimmed, numbered from 1', () => {
    const rows = rowsOf(parseEmailList('  Ana@Example.com \r\nbo@example.org\n\n'));
    expect(rows.map((r) => [r.row, r.email, r.error])).toEqual([
      [1, 'ana@example.com', null],
      [2, 'bo@example.org', null],
    ]);
  });

  it('splits on commas, semicolons and spaces as well', () => {
    const rows = rowsOf(parseEmailList('a@example.com, b@example.com;c@example.com d@example.com'));
    expect(rows.map((r) => r.email)).toEqual(['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com']);
  });

  it('reads "Name <email>" as a mail program copies it', () => {
    const rows = rowsOf(parseEmailList('Ana Lima <ana@example.com>\n"Bo Chen" <BO@example.com>'));
    expect(rows.map((r) => [r.name, r.email])).toEqual([
      ['Ana Lima', 'ana@example.com'],
      ['Bo Chen', 'bo@example.com'],
    ]);
  });

  it('marks invalid addresses and later duplicates with their row numbers, keeping the other rows', () => {
    const rows = rowsOf(parseEmailList('ana@example.com\nnot-an-email\nANA@example.com\nbo@example'));
    expect(rows.map((r) => [r.row, r.error])).toEqual([
      [1, null],
      [2, '“not-an-email” is not an email address.'],
      [3, 'Duplicate: ana@example.com is already on row 1.'],
      [4, '“bo@example” is not an email address.'],
    ]);
  });

  it('refuses an empty paste and one with too many rows', () => {
    expect(errorOf(parseEmailList(' \n ,; '))).toMatch(/at least one email/);
    const many = Array.from({ length: MAX_INPUT_ROWS + 1 }, (_, i) => `l${i}@example.com`).join('\n');
    expect(errorOf(parseEmailList(many))).toMatch(/5,001 rows: at most 5,000/);
  });

  it('refuses more than 1 MB', () => {
    expect(errorOf(parseEmailList(`${'a'.repeat(1_048_577)}@example.com`))).toMatch(/more than 1 MB/);
  });
});

describe('parseCsv (RFC 4180)', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, and CRLF records', () => {
    const result = parseCsv('a,"b, c","say ""hi"""\r\n"two\r\nlines",x,\r\n');
    expect(result).toEqual({
      ok: true,
      records: [
        { row: 1, fields: ['a', 'b, c', 'say "hi"'], error: null },
        { row: 2, fields: ['two\r\nlines', 'x', ''], error: null },
      ],
    });
  });

  it('strips a byte-order mark and accepts LF or CR line ends and no final line break', () => {
    const result = parseCsv('\uFEFFemail\nx@example.com\ry@example.com');
    expect(result.ok && result.records.map((r) => r.fields)).toEqual([['email'], ['x@example.com'], ['y@example.com']]);
  });

  it('refuses an unclosed quote, naming the row where it opened', () => {
    expect(parseCsv('email\n"ana@example.com,Ana\nbo@example.com')).toEqual({ ok: false, error: 'Row 2: a quoted field is never closed. Check for a missing ".' });
  });

  it('marks a record with text after a closing quote', () => {
    const result = parseCsv('"Ana" Lima,x\nok,y');
    expect(result.ok && result.records.map((r) => r.error)).toEqual([expect.stringMatching(/Text after a closing quote/), null]);
  });
});

describe('parseEnrolmentCsv', () => {
  it('finds the columns by their header names, in any order, ignoring others', () => {
    const rows = rowsOf(parseEnrolmentCsv('Team,Start Date,E-mail,Full name\nnorth,2026-03-02,Ana@Example.com,Ana Lima\nsouth,,bo@example.com,\n'));
    expect(rows).toEqual([
      { row: 2, email: 'ana@example.com', name: 'Ana Lima', startDate: '2026-03-02', error: null },
      { row: 3, email: 'bo@example.com', name: null, startDate: null, error: null },
    ]);
  });

  it('takes email, name, start_date in order when there is no header', () => {
    const rows = rowsOf(parseEnrolmentCsv('ana@example.com,Ana,2026-03-02\nbo@example.com'));
    expect(rows.map((r) => [r.row, r.email, r.name, r.startDate])).toEqual([
      [1, 'ana@example.com', 'Ana', '2026-03-02'],
      [2, 'bo@example.com', null, null],
    ]);
  });

  it('handles a spreadsheet export: BOM, CRLF, quoted names with commas, blank rows skipped', () => {
    const csv = '\uFEFFemail,name,start_date\r\nana@example.com,"Lima, Ana",\r\n\r\n"bo@example.com","Chen ""Bo""",2026-04-01\r\n';
    const rows = rowsOf(parseEnrolmentCsv(csv));
    expect(rows.map((r) => [r.row, r.email, r.name, r.startDate])).toEqual([
      [2, 'ana@example.com', 'Lima, Ana', null],
      [4, 'bo@example.com', 'Chen "Bo"', '2026-04-01'],
    ]);
  });

  it('reads semicolon-separated files (spreadsheets in some locales save them)', () => {
    const rows = rowsOf(parseEnrolmentCsv('email;name\nana@example.com;Lima, Ana'));
    expect(rows[0]).toMatchObject({ email: 'ana@example.com', name: 'Lima, Ana', error: null });
  });

  it('reports bad rows with their spreadsheet row numbers, the rows after a multi-line field included', () => {
    const csv = ['email,name,start_date', 'ana@example.com,"Ana', 'Lima",2026-02-30', 'not-an-email,Bo,', 'ANA@example.com,Again,', ',No email,', 'cy@example.com,Cy,02/03/2026'].join('\n');
    const rows = rowsOf(parseEnrolmentCsv(csv));
    expect(rows.map((r) => [r.row, r.error])).toEqual([
      [2, 'The start date “2026-02-30” is not a calendar date: use YYYY-MM-DD, e.g. 2026-03-02.'],
      [3, '“not-an-email” is not an email address.'],
      [4, null],
      [5, 'The email is missing.'],
      [6, 'The start date “02/03/2026” is not a calendar date: use YYYY-MM-DD, e.g. 2026-03-02.'],
    ]);
  });

  it('counts a row as a duplicate only after a usable row with the same email', () => {
    const rows = rowsOf(parseEnrolmentCsv('email,start_date\nana@example.com,2026-13-01\nana@example.com,\nana@example.com,'));
    expect(rows.map((r) => r.error)).toEqual([expect.stringMatching(/not a calendar date/), null, 'Duplicate: ana@example.com is already on row 3.']);
  });

  it('refuses a header without an email column, a header alone, an empty file and an unclosed quote', () => {
    expect(errorOf(parseEnrolmentCsv('name,start_date\nAna,2026-03-02'))).toBe('The header row has no “email” column.');
    expect(errorOf(parseEnrolmentCsv('email,name\r\n'))).toBe('The file has a header row but no learners.');
    expect(errorOf(parseEnrolmentCsv('\uFEFF\r\n\r\n'))).toBe('The file has no rows.');
    expect(errorOf(parseEnrolmentCsv('email\n"ana@example.com'))).toMatch(/^Row 2: a quoted field is never closed/);
  });

  it('refuses more than 5,000 rows', () => {
    const csv = ['email', ...Array.from({ length: MAX_INPUT_ROWS + 1 }, (_, i) => `l${i}@example.com`)].join('\n');
    expect(errorOf(parseEnrolmentCsv(csv))).toMatch(/at most 5,000/);
    const exactly = ['email', ...Array.from({ length: MAX_INPUT_ROWS }, (_, i) => `l${i}@example.com`)].join('\n');
    expect(rowsOf(parseEnrolmentCsv(exactly))).toHaveLength(MAX_INPUT_ROWS);
  });
});
