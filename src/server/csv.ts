import { stringify } from 'csv-stringify/sync';

export type CsvField = string | number | null;

/** A text a spreadsheet would run as a formula (= + - @, tab, CR) gets an apostrophe in front. */
const defuseFormula = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

/**
 * The CSV files the portal exports, for spreadsheets: CRLF line ends; a field quoted when it holds a
 * comma, quote, line break or semicolon (Excel splits on ";" in Swiss and German settings), or every
 * field with `quoteAll`; formulas defused; a byte-order mark for Excel with `bom`. Numbers are never
 * defused: -50 is a number of minutes.
 */
export function toCsv(rows: readonly (readonly CsvField[])[], options: { quoteAll?: boolean; bom?: boolean } = {}): string {
  return stringify(
    rows.map((row) => [...row]),
    {
      record_delimiter: '\r\n',
      quoted_match: /[;\r\n]/,
      cast: { string: defuseFormula },
      ...(options.quoteAll ? { quoted: true, quoted_empty: true } : {}),
      ...(options.bom ? { bom: true } : {}),
    },
  );
}

/** One field as `toCsv` writes it in a line (for tests and one-off cells). */
export const csvField = (value: CsvField): string => toCsv([[value]]).slice(0, -2);
