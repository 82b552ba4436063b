import { SMTPServer } from 'smtp-server';
import type { AppContext } from '../../context.ts';
import { receiveMail } from './receive-mail.ts';

export type SmtpReceiverHandle = { port: number; stop(): Promise<void> };

/**
 * The built-in SMTP receiver (INBOUND_SMTP_PORT), for an MTA that forwards the mail of the reply
 * and desk addresses to Guichet. A message is accepted (250) only once it is stored: a failure to
 * store it answers 451, and the MTA tries again later; a message over INBOUND_MAX_MB is refused
 * (552) before it is read. No authentication: bind it to a private address the MTA reaches.
 */
export async function startSmtpReceiver(ctx: AppContext, options: { port: number; host: string }): Promise<SmtpReceiverHandle> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: ctx.config.inboundMaxBytes,
    logger: false,
    banner: 'Guichet inbound mail',
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          callback(Object.assign(new Error(`Message too large (over ${ctx.config.inboundMaxBytes} bytes)`), { responseCode: 552 }));
          return;
        }
        const raw = Buffer.concat(chunks);
        const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
        receiveMail(ctx, raw, { source: 'smtp', envelopeTo })
          .then(() => callback())
          .catch((error: unknown) => {
            ctx.mail.log.error({ err: error }, 'inbound SMTP: the message could not be stored');
            callback(Object.assign(new Error('Temporary failure, try again later'), { responseCode: 451 }));
          });
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  server.on('error', (error) => ctx.mail.log.error({ err: error }, 'inbound SMTP receiver'));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { port, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
