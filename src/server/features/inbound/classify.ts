import type { InboundReason } from '#shared/inbound-api.ts';
import type { ParsedMail } from './parse-mail.ts';

/**
 * Noise that must never become a message nor get an answer (RFC 3834 and what mail servers do):
 * auto-replies (out of office, vacation, list robots), bounces, and Guichet's own mail coming
 * back. Each is recorded in the inbound log with its reason, and nothing is sent back: no loop.
 */
export function noiseReason(mail: ParsedMail, own: { hostname: string; addresses: string[] }): InboundReason | null {
  const h = mail.headers;
  if (mail.messageId.endsWith(`@${own.hostname}>`) || own.addresses.includes(mail.from)) return 'own_message';
  if (mail.deliveryReport) return 'bounce';
  const returnPath = h.get('return-path')?.trim();
  if (returnPath === '<>' || returnPath === '' || /^(mailer-daemon|postmaster)@/i.test(mail.from)) return 'bounce';
  const autoSubmitted = h.get('auto-submitted')?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return 'auto_reply';
  if (h.has('x-autoreply') || h.has('x-autorespond') || h.has('x-autoresponder')) return 'auto_reply';
  if (/^(bulk|list|junk|auto_reply)$/i.test(h.get('precedence')?.trim() ?? '')) return 'auto_reply';
  if (/\b(all|oof|autoreply)\b/i.test(h.get('x-auto-response-suppress') ?? '')) return 'auto_reply';
  if (h.has('list-id') || h.has('list-unsubscribe')) return 'auto_reply';
  return null;
}
