import { fileTypeFromBuffer } from 'file-type';

/** Types accepted, recognised from the content's signature. */
const ACCEPTED_BINARY = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'application/zip',
  'application/x-7z-compressed',
  'application/gzip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/x-cfb', // legacy .doc/.xls
  'message/rfc822',
]);

/** Plain-text files have no signature: accepted by name when the content really is text. */
const TEXT_EXTENSIONS: Record<string, string> = {
  txt: 'text/plain',
  log: 'text/plain',
  csv: 'text/csv',
  md: 'text/plain',
  json: 'application/json',
  xml: 'text/plain',
  sql: 'text/plain',
  eml: 'message/rfc822',
};

export const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** The content type of an upload, decided by its bytes; null when refused. */
export async function detectContentType(bytes: Uint8Array, fileName: string): Promise<string | null> {
  const detected = await fileTypeFromBuffer(bytes);
  if (detected) return ACCEPTED_BINARY.has(detected.mime) ? detected.mime : null;
  const extension = fileName.includes('.') ? fileName.slice(fileName.lastIndexOf('.') + 1).toLowerCase() : '';
  const textType = TEXT_EXTENSIONS[extension];
  if (!textType || !isText(bytes)) return null;
  return textType;
}

function isText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    // Latin-1 text files from older ERPs: accept when there are no control characters besides whitespace.
    return !bytes.some((b) => b < 0x09 || (b > 0x0d && b < 0x20));
  }
}
