/** File sizes in the reader's language, as the upload limit counts them (1024). */
import { describe, expect, it } from 'vitest';
import { formatFileSize as format } from './file-size.ts';

/** Intl separates number and unit with a no-break space; compared here as a plain one. */
const formatFileSize = (bytes: number, language: string) => format(bytes, language).replace(/\s/g, ' ');

const MIB = 1024 * 1024;

describe('file sizes', () => {
  it('writes megabytes in each language’s words and decimal sign', () => {
    expect(formatFileSize(20 * MIB, 'fr')).toBe('20,0 Mo');
    expect(formatFileSize(20 * MIB, 'de')).toBe('20.0 MB');
    expect(formatFileSize(20 * MIB, 'en')).toBe('20.0 MB');
    expect(formatFileSize(1.25 * MIB, 'fr')).toBe('1,3 Mo');
  });

  it('writes kilobytes and bytes the same way', () => {
    expect(formatFileSize(12 * 1024, 'fr')).toBe('12 ko');
    expect(formatFileSize(12 * 1024, 'en')).toBe('12 kB');
    expect(formatFileSize(340, 'fr')).toBe('340 o');
    expect(formatFileSize(340, 'de')).toBe('340 Byte');
  });
});
