import { createHash } from 'node:crypto';
import EmailReplyParser from 'email-reply-parser';
import { simpleParser, type AddressObject, type HeaderValue } from 'mailparser';

/** A received e-mail, read once: what matching, loop detection and the message need. */
export type ParsedMail = {
  messageId: string;
  from: string;
  fromName: string | null;
  /** To and Cc, then the envelope's recipients and the delivery headers (Delivered-To, X-Original-To). */
  recipients: string[];
  subject: string;
  inReplyTo: string[];
  references: string[];
  /** Header names lower-cased, values as text (the first of a repeated header). */
  headers: Map<string, string>;
  /** multipart/report; report-type=delivery-status (a bounce). */
  deliveryReport: boolean;
  /** The whole text (HTML-only mail converted), quotes and signature included. */
  text: string;
  /** What the sender wrote: quoted history and signature cut. */
  reply: string;
  attachments: { fileName: string; bytes: Buffer; inline: boolean }[];
  contentLanguage: string | null;
};

const addresses = (field: AddressObject | AddressObject[] | undefined): { address: string; name: string }[] =>
  [field ?? []].flat().flatMap((group) => group.value.flatMap((a) => (a.address ? [{ address: a.address.toLowerCase(), name: a.name }] : [])));

const headerText = (value: HeaderValue): string => {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
  if (value && typeof value === 'object' && 'value' in value) {
    const v = value as { value: unknown; params?: Record<string, string>; text?: string };
    if (typeof v.text === 'string') return v.text;
    const params = Object.entries(v.params ?? {}).map(([k, p]) => `; ${k}=${p}`);
    return `${String(v.value)}${params.join('')}`;
  }
  return String(value);
};

const messageIds = (value: string | string[] | undefined): string[] =>
  [value ?? []]
    .flat()
    .flatMap((v) => v.match(/<[^<>\s]+>/g) ?? [])
    .map((id) => id.toLowerCase());

/** When a message has no Message-ID, one derived from its bytes: the same message delivered twice is still one. */
export const contentMessageId = (raw: Buffer) => `<sha256-${createHash('sha256').update(raw).digest('hex')}@guichet.missing-message-id>`;

/** Cuts quoted history and the signature (email-reply-parser); the whole text when nothing is left. */
export function visibleReply(text: string): string {
  const visible = new EmailReplyParser().read(text).getVisibleText().trim();
  return visible || text.trim();
}

/** Reads a raw e-mail (mailparser). Throws on a message that cannot be read. */
export async function parseMail(raw: Buffer, envelopeTo: string[] = []): Promise<ParsedMail> {
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextLinks: true });
  const headers = new Map<string, string>();
  for (const [name, value] of parsed.headers) headers.set(name.toLowerCase(), headerText(value));
  const from = addresses(parsed.from)[0];
  const delivered = [headers.get('delivered-to'), headers.get('x-original-to')].flatMap((v) => (v ? v.split(',').map((a) => a.trim().toLowerCase()) : []));
  const recipients = [
    ...new Set(
      [...addresses(parsed.to), ...addresses(parsed.cc)]
        .map((a) => a.address)
        .concat(
          envelopeTo.map((a) => a.toLowerCase()),
          delivered,
        ),
    ),
  ];
  const contentType = parsed.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  const text = (parsed.text ?? '').replace(/\r\n/g, '\n').trim();
  const language = headers.get('content-language') ?? null;
  return {
    messageId: messageIds(parsed.messageId)[0] ?? contentMessageId(raw),
    from: from?.address ?? '',
    fromName: from?.name || null,
    recipients,
    subject: (parsed.subject ?? '').trim(),
    inReplyTo: messageIds(parsed.inReplyTo),
    references: messageIds(parsed.references),
    headers,
    deliveryReport: contentType?.value === 'multipart/report' && contentType.params?.['report-type']?.toLowerCase() === 'delivery-status',
    text,
    reply: visibleReply(text),
    attachments: parsed.attachments
      .filter((a) => a.content.length > 0)
      .map((a) => ({ fileName: a.filename ?? `attachment-${a.checksum.slice(0, 8)}`, bytes: a.content, inline: a.contentDisposition === 'inline' })),
    contentLanguage: language,
  };
}
