import { z } from 'zod';
import { channelKinds, notificationEvents } from '@/lib/notifications/vocabulary';

export { channelKinds, eventDescriptions, eventLabels, kindLabels, kindNames, notificationEvents } from '@/lib/notifications/vocabulary';
export type { ChannelKind, NotificationEvent } from '@/lib/notifications/vocabulary';

/** What a notification needs to know beyond the incident's own row. */
export type NotificationDetail = {
  previousSeverity?: string;
  previousStatus?: string;
  update?: { audience: 'internal' | 'public'; body: string };
  /** When the overdue status update was due (ISO time). */
  dueAt?: string;
  /** Who is reminded of an overdue update: the Communications Lead, else the Incident Commander. */
  communicationsLead?: { name: string; email: string } | null;
};

const MAX_ADDRESSES = 50;
const address = z.email();

/**
 * A comma-separated (or space/semicolon/newline-separated) list of e-mail addresses, checked one
 * by one so the message names the one to fix. Duplicates are dropped, case-insensitively.
 */
export function parseEmailList(text: string): { ok: true; addresses: string[] } | { ok: false; message: string } {
  const parts = text
    .split(/[\s,;]+/)
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length === 0) return { ok: false, message: 'Give at least one e-mail address, e.g. oncall@example.com' };
  const addresses: string[] = [];
  for (const part of parts) {
    if (!address.safeParse(part).success) return { ok: false, message: `“${part.slice(0, 80)}” is not an e-mail address; write it like oncall@example.com` };
    if (!addresses.some((known) => known.toLowerCase() === part.toLowerCase())) addresses.push(part);
  }
  if (addresses.length > MAX_ADDRESSES) return { ok: false, message: `At most ${MAX_ADDRESSES} addresses; use a mailing list for more` };
  return { ok: true, addresses };
}

export const channelInputSchema = z.object({
  name: z.string({ error: 'Give the channel a name' }).trim().min(2, 'Give the channel a name, e.g. #incidents').max(80, 'Keep the name under 80 characters'),
  kind: z.enum(channelKinds, { error: 'The kind is slack, teams, webhook or email' }),
  // The webhook URL, or the e-mail addresses. Left out or empty when editing: the stored one stays.
  target: z.string({ error: 'The target is a webhook URL or a list of e-mail addresses' }).trim().max(4_000, 'Keep the target under 4,000 characters').optional(),
  events: z
    .array(z.enum(notificationEvents, { error: `Events are ${notificationEvents.join(', ')}` }), { error: `events is a list, e.g. ["declared", "resolved"]` })
    .min(1, 'Pick at least one event to notify about')
    .transform((events) => notificationEvents.filter((event) => events.includes(event))),
  // Empty: every severity. Checked against the severities that exist when saved.
  severities: z
    .array(z.string().trim().toUpperCase().min(1), { error: 'severities is a list, e.g. ["SEV1", "SEV2"]; empty for all' })
    .max(20)
    .default([])
    .transform((keys) => [...new Set(keys)]),
});
export type ChannelInput = z.input<typeof channelInputSchema>;

export const channelSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: z.enum(channelKinds),
    // Never the URL itself (Slack and Teams webhook URLs are credentials), e.g. "hooks.slack.com/…/x7Qa".
    targetHint: z.string(),
    events: z.array(z.enum(notificationEvents)),
    severities: z.array(z.string()),
    disabled: z.object({ at: z.iso.datetime(), reason: z.string() }).nullable(),
    version: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'NotificationChannel' });
export type ChannelDto = z.infer<typeof channelSchema>;

export const notificationStatuses = ['pending', 'retrying', 'succeeded', 'failed'] as const;

export const notificationSchema = z
  .object({
    id: z.uuid(),
    channel: z.object({ id: z.uuid(), name: z.string(), kind: z.enum(channelKinds) }),
    incident: z.object({ number: z.number().int(), key: z.string() }).nullable(),
    // One of the events, or "test" for Send test.
    event: z.string(),
    subject: z.string(),
    status: z.enum(notificationStatuses),
    attempts: z.array(
      z.object({
        number: z.number().int(),
        at: z.iso.datetime(),
        // The HTTP status, or the SMTP reply code for e-mail.
        statusCode: z.number().int().nullable(),
        error: z.string().nullable(),
        durationMs: z.number().int(),
        excerpt: z.string().nullable(),
      }),
    ),
    nextAttemptAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    completedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Notification' });
export type NotificationDto = z.infer<typeof notificationSchema>;
