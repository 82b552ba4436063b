import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from './csv.ts';

describe('CSV exports', () => {
  it('escapes fields and defuses spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a "b"')).toBe('"a ""b"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('semi;colon')).toBe('"semi;colon"');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-1+2')).toBe("'-1+2");
    expect(csvField(-3)).toBe('-3');
    expect(csvField(null)).toBe('');
  });

  it('writes CRLF lines, every field quoted on demand, with a byte-order mark on demand', () => {
    expect(
      toCsv([
        ['a', 1],
        ['b', null],
      ]),
    ).toBe('a,1\r\nb,\r\n');
    expect(toCsv([['a', -50, null, '', '=cmd|calc']], { quoteAll: true })).toBe('"a","-50","","","\'=cmd|calc"\r\n');
    expect(toCsv([['a']], { bom: true })).toBe('\uFEFFa\r\n');
  });
});
