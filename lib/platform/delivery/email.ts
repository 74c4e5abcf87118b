// One e-mail attempt through the SMTP server in SITREP_SMTP_URL, classified like a webhook
// attempt: the server's temporary refusals (4xx) and lost connections are retried, permanent
// refusals (5xx) are not. The SMTP server is the admin's configuration, not a person's input,
// so it is not held to the webhook destination guard.
import 'server-only';
import nodemailer from 'nodemailer';
import { env } from '@/lib/platform/env';
import type { AttemptResult } from '@/lib/platform/delivery/http';

/** What to do when SITREP_SMTP_URL is missing. */
export const SMTP_SETUP = 'set SITREP_SMTP_URL to your SMTP server (e.g. smtp://user:pass@mail.example.com:587) and restart Sitrep';
export const SMTP_NOT_CONFIGURED = `SITREP_SMTP_URL is not set, so Sitrep cannot send e-mail; ${SMTP_SETUP}`;

// Without an SMTP reply code these are the network's fault and worth another try.
const TRANSIENT_CODES = new Set(['ETIMEDOUT', 'ESOCKET', 'ECONNECTION', 'EDNS']);
const EXCERPT_CHARS = 500;

type SmtpError = Error & { code?: string; responseCode?: number; response?: string };

export type OutgoingEmail = { id: string; to: string[]; subject: string; text: string };

function replyCode(response: string | undefined): number | null {
  const match = /^(\d{3})\b/.exec(response ?? '');
  return match ? Number(match[1]) : null;
}

function domainOf(from: string): string {
  return /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'sitrep.local';
}

export async function sendEmail(email: OutgoingEmail): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  if (!env.SITREP_SMTP_URL) return { outcome: 'failed', statusCode: null, error: SMTP_NOT_CONFIGURED, durationMs: 0, excerpt: null, retryAfterMs: null };
  // Timeouts given in the URL's query (?socketTimeout=…) win over these.
  const transport = nodemailer.createTransport({ url: env.SITREP_SMTP_URL, connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 15_000 });
  try {
    const info = await transport.sendMail({
      from: env.SITREP_SMTP_FROM,
      to: email.to,
      subject: email.subject,
      text: email.text,
      // The same id on every attempt, so a retried message can be recognised as one.
      messageId: `<${email.id}@${domainOf(env.SITREP_SMTP_FROM)}>`,
      // RFC 3834: keeps out-of-office replies away from the sender.
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Sitrep-Notification': email.id },
    });
    const rejected = (info.rejected ?? []).map(String);
    return {
      outcome: 'succeeded',
      statusCode: replyCode(info.response),
      error: rejected.length ? `Not accepted for ${rejected.join(', ')}` : null,
      durationMs: elapsed(),
      excerpt: info.response ? info.response.slice(0, EXCERPT_CHARS) : null,
      retryAfterMs: null,
    };
  } catch (caught) {
    const error = caught as SmtpError;
    const code = error.responseCode ?? replyCode(error.response) ?? null;
    const transient = code !== null ? code >= 400 && code < 500 : TRANSIENT_CODES.has(error.code ?? '');
    return {
      outcome: transient ? 'retry' : 'failed',
      statusCode: code,
      error: error.message.slice(0, EXCERPT_CHARS),
      durationMs: elapsed(),
      excerpt: error.response ? error.response.slice(0, EXCERPT_CHARS) : null,
      retryAfterMs: null,
    };
  } finally {
    transport.close();
  }
}
