// A real SMTP server (smtp-server) for tests that need Sitrep's e-mail to arrive somewhere, and
// a reader for the plain-text messages nodemailer sends.
import { SMTPServer } from 'smtp-server';

export type Mail = { to: string[]; headers: Record<string, string>; subject: string; text: string };

export type SmtpSink = { port: number; received: Mail[]; close(): Promise<void> };

function decodeQuotedPrintable(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(text.charCodeAt(i));
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words in a header; adjacent ones are joined without the space between them. */
function decodeHeader(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/(?:=\?utf-8\?[qb]\?[^?]*\?=)+/gi, (run) =>
    Buffer.concat([...run.matchAll(/=\?utf-8\?([qb])\?([^?]*)\?=/gi)].map(([, encoding, text]) => (encoding!.toLowerCase() === 'b' ? Buffer.from(text!, 'base64') : decodeQuotedPrintable(text!.replace(/_/g, ' '))))).toString('utf8'),
  );
}

export function parseMail(to: string[], raw: string): Mail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = raw.slice(split + 4);
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const bytes = encoding === 'quoted-printable' ? decodeQuotedPrintable(body.replace(/=\r\n/g, '')) : encoding === 'base64' ? Buffer.from(body, 'base64') : Buffer.from(body, 'latin1');
  return { to, headers, subject: decodeHeader(headers.subject ?? ''), text: bytes.toString('utf8').replace(/\r\n/g, '\n') };
}

/** Listens on 127.0.0.1 (`port` 0: any free port) and keeps every message it accepts. */
export async function startSmtpSink(port = 0, options: { refuse?: (to: string) => number | undefined } = {}): Promise<SmtpSink> {
  const received: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const code = options.refuse?.(address.address.toLowerCase());
      if (code === undefined) return callback();
      callback(Object.assign(new Error(code >= 500 ? 'No such mailbox' : 'Mailbox busy, try again later'), { responseCode: code }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push(parseMail(session.envelope.rcptTo.map((a) => a.address), Buffer.concat(chunks).toString('latin1')));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as { port: number }).port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
