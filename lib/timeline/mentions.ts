// @mentions in notes: who `@priya` (or `@priya@example.com`) is gets decided when the note is
// posted, and each person mentioned is told once, through their first contact method or else by
// e-mail (a ledger row in the note's transaction, sent by lib/timeline/delivery.ts). Nobody is told about an incident they may not
// see (a private one they are no member of), nor about their own note; a disabled account is
// skipped. Editing a note tells nobody again.
import 'server-only';
import type { Actor } from '@/lib/platform/auth/policy';
import type { Tx } from '@/lib/platform/db';
import { publicUrl } from '@/lib/platform/urls';
import { mentionedHandles } from '@/lib/incidents/references';
import { incidentKey } from '@/lib/incidents/schema';
import { canSee } from '@/lib/incidents/visibility';
import { enqueueMention } from '@/lib/timeline/delivery';

/** At most this many people are told per note: a note naming the whole company is not a broadcast. */
const MAX_MENTIONS_PER_NOTE = 20;

export async function recordMentions(
  tx: Tx,
  incident: { id: string; number: number },
  event: { id: string; body: string },
  author: Actor | null,
): Promise<number> {
  const handles = mentionedHandles(event.body).slice(0, MAX_MENTIONS_PER_NOTE);
  if (!handles.length) return 0;
  const candidates = await tx.user.findMany({
    where: {
      disabledAt: null,
      OR: handles.map((handle) => (handle.includes('@') ? { email: { equals: handle, mode: 'insensitive' as const } } : { email: { startsWith: `${handle}@`, mode: 'insensitive' as const } })),
    },
    select: { id: true, email: true, name: true, role: true },
  });
  const { title } = await tx.incident.findUniqueOrThrow({ where: { id: incident.id }, select: { title: true } });
  const key = incidentKey(incident.number);
  let told = 0;
  for (const user of candidates) {
    if (user.id === author?.id) continue;
    if (!(await canSee({ id: user.id, role: user.role }, incident.id, tx))) continue;
    const row = await tx.mentionNotification.create({
      data: {
        incidentId: incident.id,
        eventId: event.id,
        userId: user.id,
        subject: `[${key}] ${author?.name ?? 'Someone'} mentioned you: ${title}`,
        body: `${author?.name ?? 'Someone'} mentioned you in a note on ${key} “${title}”:\n\n${event.body}\n\nOpen the incident: ${publicUrl(`/incidents/${incident.number}`)}\n`,
      },
      select: { id: true },
    });
    await enqueueMention(tx, { mentionId: row.id, attempt: 1 });
    told++;
  }
  return told;
}
