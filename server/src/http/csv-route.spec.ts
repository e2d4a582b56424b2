import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from './csv-route.ts';

describe('CSV cells', () => {
  it('defuses cells a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x","click")')).toBe(`"'=HYPERLINK(""http://x"",""click"")"`);
    expect(csvCell('+254712345678')).toBe("'+254712345678");
    expect(csvCell('-1+2')).toBe("'-1+2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
  });

  it('leaves numbers, plain text, dates and empties as they are', () => {
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(12_345_678_901_234_567_890n)).toBe('12345678901234567890');
    expect(csvCell('ABCD-EFGH')).toBe('ABCD-EFGH');
    expect(csvCell(new Date('2026-12-07T10:00:00Z'))).toBe('2026-12-07T10:00:00.000Z');
    expect(csvCell(null)).toBe('');
    expect(csvCell(false)).toBe('false');
  });

  it('quotes commas, quotes and line breaks (RFC 4180) and ends lines with CRLF', () => {
    expect(csvLine(['a,b', 'say "hi"', 'two\nlines'])).toBe('"a,b","say ""hi""","two\nlines"\r\n');
  });
});
