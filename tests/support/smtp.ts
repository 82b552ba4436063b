import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type ReceivedMail = {
  /** Envelope recipients (RCPT TO). */
  rcptTo: string[];
  /** Addresses of the To header. */
  to: string[];
  from: string;
  subject: string;
  messageId: string;
  text: string;
  html: string | null;
  headers: Map<string, unknown>;
  raw: string;
};

export type SmtpReceiver = {
  url: string;
  port: number;
  messages: ReceivedMail[];
  /** Polls the received messages until one matches (waiting on a socket, not on business logic). */
  waitFor(predicate: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  stop(): Promise<void>;
  /** From now on, messages are read to their end but not answered: the sender waits mid-delivery. */
  stall(): void;
  /** Ends the stall: the messages held so far are refused (451, as when the connection drops first), later ones accepted. */
  unstall(): void;
  /** How many messages are waiting for an answer. */
  stalled(): number;
};

const addresses = (field: AddressObject | AddressObject[] | undefined): string[] =>
  [field ?? []].flat().flatMap((group) => group.value.map((a) => a.address ?? '').filter(Boolean));

/**
 * A real SMTP server on 127.0.0.1 and an ephemeral port (no auth, no TLS) that keeps every message it receives.
 * `start(port)` reopens it on a given port, so a test can take the receiver down and bring it back at the same URL.
 */
export async function startSmtpReceiver(options: { port?: number } = {}): Promise<SmtpReceiver> {
  const messages: ReceivedMail[] = [];
  let gate: { promise: Promise<void>; open: () => void; waiting: number } | null = null;

  const listen = async (port: number) => {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      // Without TLS, a client that sends credentials anyway is let in whatever they are.
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        callback(null, { user: auth.username ?? 'anonymous' });
      },
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', callback);
        stream.on('end', () => {
          const held = gate;
          if (held) {
            held.waiting++;
            void held.promise.then(() => {
              held.waiting--;
              callback(Object.assign(new Error('Stalled message not accepted'), { responseCode: 451 }));
            });
            return;
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw)
            .then((parsed) => {
              messages.push({
                rcptTo: session.envelope.rcptTo.map((r) => r.address),
                to: addresses(parsed.to),
                from: addresses(parsed.from)[0] ?? '',
                subject: parsed.subject ?? '',
                messageId: parsed.messageId ?? '',
                text: parsed.text ?? '',
                html: typeof parsed.html === 'string' ? parsed.html : null,
                headers: parsed.headers,
                raw,
              });
              callback();
            })
            .catch((error: Error) => callback(error));
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', () => {
      /* a client dropped the connection: nothing to do */
    });
    return server;
  };

  let server: SMTPServer | null = await listen(options.port ?? 0);
  const port = (server.server.address() as AddressInfo).port;

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    async waitFor(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find(predicate);
        if (found) return found;
        if (Date.now() > deadline) {
          throw new Error(
            `No matching e-mail within ${timeoutMs} ms; received ${messages.length}: ${JSON.stringify(messages.map((m) => ({ to: m.to, subject: m.subject })))}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    stall() {
      if (gate) return;
      let open = () => {};
      const promise = new Promise<void>((resolve) => (open = resolve));
      gate = { promise, open, waiting: 0 };
    },
    unstall() {
      gate?.open();
      gate = null;
    },
    stalled: () => gate?.waiting ?? 0,
    async stop() {
      const s = server;
      server = null;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
}
