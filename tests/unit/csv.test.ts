import { describe, expect, it } from 'vitest';
import { CSV_BOM, csvDocument, csvField, csvLine } from '~/domain/csv';

describe('csvField', () => {
  it('writes plain text and numbers as they are, and nothing for null or undefined', () => {
    expect(csvField('Ada Lovelace')).toBe('Ada Lovelace');
    expect(csvField(42)).toBe('42');
    expect(csvField(0)).toBe('0');
    expect(csvField(-3)).toBe('-3');
    expect(csvField(12.5)).toBe('12.5');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField('')).toBe('');
    expect(csvField(Number.NaN)).toBe('');
  });

  it('quotes a field holding a comma, a double quote, CR or LF, doubling its quotes (RFC 4180)', () => {
    expect(csvField('Smith, Jo')).toBe('"Smith, Jo"');
    expect(csvField('Jo "JJ" Smith')).toBe('"Jo ""JJ"" Smith"');
    expect(csvField('"')).toBe('""""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField('a\rb')).toBe('"a\rb"');
  });

  it.each(['=1+1', '+44 20 7946 0000', '-2+3', '@SUM(A1:A2)', '\tindent', '\rreturn'])(
    'neutralises a text cell that a spreadsheet would read as a formula: %j',
    (value) => {
      const field = csvField(value);
      const unquoted = field.startsWith('"') ? field.slice(1, -1).replaceAll('""', '"') : field;
      expect(unquoted).toBe(`'${value}`);
    },
  );

  it('neutralises first, then quotes: the quote wraps the prefixed value', () => {
    expect(csvField('=HYPERLINK("http://evil.example","click")')).toBe(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(csvField('\r=1')).toBe(`"'\r=1"`);
  });

  it('leaves formula characters alone when they are not first', () => {
    expect(csvField('a=b')).toBe('a=b');
    expect(csvField('user+tag@example.com')).toBe('user+tag@example.com');
    expect(csvField(' =1')).toBe(' =1');
  });
});

describe('csvLine and csvDocument', () => {
  it('joins fields with commas and ends each record with CRLF', () => {
    expect(csvLine(['a', 1, null, 'b,c'])).toBe('a,1,,"b,c"\r\n');
    expect(csvLine([])).toBe('\r\n');
  });

  it('starts a document with the UTF-8 BOM and keeps non-ASCII text as it is', () => {
    const document = csvDocument([['Name', 'City'], ['Zoë Łukasiewicz', '北京']]);
    expect(document.startsWith(CSV_BOM)).toBe(true);
    expect(CSV_BOM).toBe('\uFEFF');
    expect(document).toBe('\uFEFFName,City\r\nZoë Łukasiewicz,北京\r\n');
    expect(new TextEncoder().encode(document).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
  });
});
