import { describe, expect, it } from 'vitest';
import { readReplyAddress, signatureFits, signedReplyAddress } from '../mail/reply-address.ts';
import { noiseReason } from './classify.ts';
import { parseMail } from './parse-mail.ts';
import { internalNote, summaryFrom } from './process-inbound.ts';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';
const own = { hostname: 'support.example.com', addresses: ['support@example.com', 'no-reply@example.com'] };

const mail = (headers: Record<string, string>, body = 'Hello') =>
  Buffer.from(
    `${Object.entries({ From: 'Anna <anna@client.test>', To: 'support@example.com', Subject: 'Hi', 'Message-ID': '<m1@client.test>', ...headers })
      .map(([k, v]) => `${k}: ${v}`)
      .join('\r\n')}\r\n\r\n${body}\r\n`,
  );

describe('signed reply addresses', () => {
  it('name the request and are signed for their recipient', () => {
    const address = signedReplyAddress('support@example.com', SECRET, 'SUP-12', 'Anna@Client.test');
    expect(address).toMatch(/^support\+SUP-12\.[a-z2-7]{12}@example\.com$/);
    const read = readReplyAddress('support@example.com', ['other@example.com', address.toLowerCase()]);
    expect(read).toEqual({ key: 'SUP-12', signature: address.split('.')[1]!.split('@')[0] });
    expect(signatureFits(SECRET, read!, 'anna@client.test')).toBe(true);
    // Another sender, another request or another secret: the signature does not fit.
    expect(signatureFits(SECRET, read!, 'mallory@client.test')).toBe(false);
    expect(signatureFits(SECRET, { ...read!, key: 'SUP-13' }, 'anna@client.test')).toBe(false);
    expect(signatureFits(`${SECRET}x`, read!, 'anna@client.test')).toBe(false);
  });

  it('read an unsigned tag as a key without signature, and nothing at another address', () => {
    expect(readReplyAddress('support@example.com', ['support+SUP-9@example.com'])).toEqual({ key: 'SUP-9', signature: null });
    expect(readReplyAddress('support@example.com', ['support+SUP-9@elsewhere.test', 'sales+SUP-9@example.com'])).toBeNull();
    expect(signatureFits(SECRET, { key: 'SUP-9', signature: null }, 'anna@client.test')).toBe(false);
    // Without a key, the base address stays as it is.
    expect(signedReplyAddress('support@example.com', SECRET, undefined, 'anna@client.test')).toBe('support@example.com');
  });
});

describe('noise', () => {
  const reason = async (headers: Record<string, string>, body?: string) => noiseReason(await parseMail(mail(headers, body)), own);

  it('recognises auto-replies by each of their headers', async () => {
    expect(await reason({ 'Auto-Submitted': 'auto-replied' })).toBe('auto_reply');
    expect(await reason({ 'Auto-Submitted': 'no' })).toBeNull();
    expect(await reason({ 'X-Autoreply': 'yes' })).toBe('auto_reply');
    expect(await reason({ 'X-Autorespond': 'vacation' })).toBe('auto_reply');
    expect(await reason({ Precedence: 'bulk' })).toBe('auto_reply');
    expect(await reason({ Precedence: 'junk' })).toBe('auto_reply');
    expect(await reason({ Precedence: 'list' })).toBe('auto_reply');
    expect(await reason({ 'X-Auto-Response-Suppress': 'All' })).toBe('auto_reply');
    expect(await reason({})).toBeNull();
  });

  it('recognises bounces and our own mail coming back', async () => {
    expect(await reason({ From: 'MAILER-DAEMON@mx.client.test' })).toBe('bounce');
    expect(await reason({ 'Return-Path': '<>' })).toBe('bounce');
    expect(
      await reason(
        { 'Content-Type': 'multipart/report; report-type=delivery-status; boundary="b"', 'MIME-Version': '1.0' },
        '--b\r\nContent-Type: text/plain\r\n\r\nDelivery failed\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nStatus: 5.1.1\r\n--b--',
      ),
    ).toBe('bounce');
    expect(await reason({ 'Message-ID': '<0b1c@support.example.com>' })).toBe('own_message');
    expect(await reason({ From: 'Guichet <no-reply@example.com>' })).toBe('own_message');
  });
});

describe('reading a message', () => {
  it('cuts quoted history and signature, keeps the whole text, and reads the threading headers', async () => {
    const parsed = await parseMail(
      mail(
        { 'In-Reply-To': '<A@Guichet.Test>', References: '<x@y> <A@Guichet.Test>', Cc: 'Carl <carl@client.test>', 'Delivered-To': 'support+sup-1@example.com' },
        'It works again, thanks.\r\n\r\n-- \r\nAnna\r\n\r\nOn Mon, Dec 1, 2026 at 10:00 Guichet <support@example.com> wrote:\r\n> Please try again.\r\n',
      ),
      ['Envelope@Example.com'],
    );
    expect(parsed.reply).toBe('It works again, thanks.');
    expect(parsed.text).toContain('> Please try again.');
    expect(parsed.inReplyTo).toEqual(['<a@guichet.test>']);
    expect(parsed.references).toEqual(['<x@y>', '<a@guichet.test>']);
    expect(parsed.recipients).toEqual(['support@example.com', 'carl@client.test', 'envelope@example.com', 'support+sup-1@example.com']);
    expect(parsed.from).toBe('anna@client.test');
    expect(parsed.fromName).toBe('Anna');
  });

  it('reads an HTML-only message as text, and gives a message without Message-ID one from its bytes', async () => {
    const raw = Buffer.from(
      'From: anna@client.test\r\nTo: support@example.com\r\nSubject: Hi\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>The <b>invoice</b> run stops.</p><blockquote>old</blockquote>\r\n',
    );
    const parsed = await parseMail(raw);
    expect(parsed.text).toContain('The invoice run stops.');
    expect(parsed.messageId).toMatch(/^<sha256-[0-9a-f]{64}@guichet\.missing-message-id>$/);
    expect((await parseMail(raw)).messageId).toBe(parsed.messageId);
  });

  it('makes an agent’s #internal mail an internal note, and a subject a summary', () => {
    expect(internalNote('#internal\nCustomer is on v12.')).toEqual({ internal: true, body: 'Customer is on v12.' });
    expect(internalNote('\n#INTERNAL: check the logs\nthen call')).toEqual({ internal: true, body: 'check the logs\nthen call' });
    expect(internalNote('Not #internal here')).toEqual({ internal: false, body: 'Not #internal here' });
    expect(summaryFrom('Re: AW: Fwd: Printer down', 'x')).toBe('Printer down');
    expect(summaryFrom('', '\nFirst line\nsecond')).toBe('First line');
    expect(summaryFrom('x'.repeat(400), '').length).toBe(255);
  });
});
