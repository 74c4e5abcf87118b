// Four months of past incidents for the demo, so /insights, a service's page, "it happened
// before" and a runbook's feedback have something true to show at first start: resolved
// incidents with realistic key times, status updates (some late), reviews with a written root
// cause, follow-ups (some done, some overdue) and checklists with skipped and added steps.
//
// Written directly, in one transaction, because the services write "now" and these happened in
// the past; it keeps every invariant the services keep (a timeline of gap-free seqs ending at
// last_seq, a closed SEV1/SEV2 only with a published review, mitigated ≤ resolved ≤ closed).
// The numbers are drawn from a seeded generator, so every installation gets the same history.
import { randomUUID } from 'node:crypto';
import type { Actor } from '@/lib/platform/auth/policy';
import type { Prisma } from '@/lib/generated/prisma/client';
import { db, type Tx } from '@/lib/platform/db';
import { directPolicy } from '@/lib/oncall/escalation';
import { generateSections, type ReviewData } from '@/lib/postmortems/generate';
import type { RunbookPhase } from '@/lib/runbooks/schema';

/** mulberry32: a small, well-known seeded generator. */
function generator(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Story = { services: string[]; title: string; cause: string; followUps: string[] };

const stories: Story[] = [
  { services: ['checkout', 'api-gateway'], title: 'Checkout returning 502s after a deploy', cause: 'A release raised the checkout pods’ cache size past their memory limit; the pods were OOM-killed in a loop.', followUps: ['Alert on OOM kills per deployment', 'Load-test memory limits in staging before release'] },
  { services: ['checkout', 'payments'], title: 'Card payments timing out', cause: 'The payment provider’s regional endpoint degraded and our client had no timeout below 30 s, so checkout threads piled up.', followUps: ['Set a 5 s timeout on the payment client', 'Add a second payment region to fail over to', 'Page the payments on-call on provider status changes'] },
  { services: ['search'], title: 'Search results slow', cause: 'A full reindex ran during peak traffic and exhausted the Elasticsearch heap on two nodes.', followUps: ['Schedule reindexing outside peak hours', 'Alert on JVM heap above 85%'] },
  { services: ['database', 'checkout'], title: 'Primary database refusing writes', cause: 'The WAL volume filled up after a replica fell behind and held back WAL removal.', followUps: ['Alert on replication lag over 5 minutes', 'Grow the WAL volume and cap retained WAL'] },
  { services: ['api-gateway'], title: 'Gateway 5xx spike for EU customers', cause: 'A TLS certificate on one EU edge node expired; the automation skipped nodes added by hand.', followUps: ['Move every edge node to automated certificate renewal'] },
  { services: ['reporting'], title: 'Nightly reports missing', cause: 'The report job’s credentials were rotated without updating the scheduler.', followUps: ['Read report credentials from the secret store'] },
  { services: ['auth'], title: 'Login failures for SSO users', cause: 'The identity provider rotated its signing keys and our JWKS cache kept the old ones for 24 hours.', followUps: ['Refresh the JWKS cache on unknown key ids'] },
  { services: ['dns', 'edge'], title: 'DNS resolution failures in eu-west', cause: 'The primary resolver pool was saturated by a retry storm from a misconfigured client.', followUps: ['Rate-limit resolver queries per client'] },
  { services: ['checkout'], title: 'Basket totals wrong for discounts', cause: 'A feature flag enabled the new pricing engine for a segment it was not tested for.', followUps: ['Gate pricing flags behind a canary'] },
  { services: ['search', 'api-gateway'], title: 'Autocomplete errors', cause: 'A schema change in the suggestions index was deployed before the API that reads it.', followUps: [] },
];

const severityMix = ['SEV1', 'SEV2', 'SEV2', 'SEV2', 'SEV3', 'SEV3', 'SEV3', 'SEV3', 'SEV4', 'SEV4'] as const;
const skipNotes = ['no other deploys were queued', 'deploys were already frozen for the holiday', 'not needed: the deploy pipeline was down anyway'];
const minute = 60_000;
const day = 86_400_000;

type Runbooks = { rollback: string; database: string };
type StoredStep = RunbookPhase['steps'][number] & { id: string };

/** Seeds the past: about 45 incidents over the last 120 days, plus "INC on checkout 12 days ago" with open follow-ups. */
export async function seedDemoHistory(team: Record<string, Actor>, runbooks: Runbooks, now = new Date()): Promise<void> {
  const random = generator(20_260_301);
  const pick = <T,>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const between = (low: number, high: number) => low + random() * (high - low);
  const people = [team.alex!, team.priya!, team.sam!, team.mei!];
  // Paging draws from its own generator, so the incidents themselves stay as they were before paging existed.
  const pagingRandom = generator(20_260_302);

  await db.$transaction(
    async (tx) => {
      const severities = new Map((await tx.severity.findMany()).map((s) => [s.key, s]));
      const versions = new Map((await tx.runbookVersion.findMany({ where: { runbookId: { in: Object.values(runbooks) }, version: 1 } })).map((v) => [v.runbookId, v]));
      const plans: { daysAgo: number; story: Story; severity: string }[] = [];
      for (let daysAgo = 118; daysAgo > 3; daysAgo -= between(1.2, 4.2)) {
        plans.push({ daysAgo, story: pick(stories), severity: pick(severityMix) });
      }
      // The one the demo's "it happened before" shows when checkout breaks again.
      plans.push({ daysAgo: 12, story: stories[1]!, severity: 'SEV1' });
      plans.sort((a, b) => b.daysAgo - a.daysAgo);

      for (const plan of plans) {
        const severity = severities.get(plan.severity)!;
        const declaredAt = new Date(now.getTime() - plan.daysAgo * day);
        // Business hours are busier, but incidents come at any time.
        declaredAt.setUTCHours(random() < 0.7 ? Math.floor(between(8, 18)) : Math.floor(between(0, 24)), Math.floor(between(0, 60)), 0, 0);
        const startedAt = new Date(declaredAt.getTime() - between(3, 45) * minute);
        const detectedAt = random() < 0.85 ? new Date(startedAt.getTime() + between(1, 20) * minute) : null;
        const level = severity.level;
        const acknowledgedAt = new Date(declaredAt.getTime() + severity.responseTargetMinutes * minute * between(0.1, random() < 0.8 ? 0.9 : 2.2));
        const mitigatedAt = new Date(startedAt.getTime() + between(15, 60) * level * minute * between(0.6, 2.5));
        const resolvedAt = new Date(mitigatedAt.getTime() + between(10, 180) * minute);
        const commander = pick(people);
        const reviewed = severity.reviewRequired || (level === 3 && random() < 0.3);
        const published = reviewed && plan.daysAgo > 10 && random() < 0.85;
        const publishedAt = published ? new Date(resolvedAt.getTime() + between(1, random() < 0.8 ? 6.5 : 14) * day) : null;
        const closed = plan.daysAgo > 6 && (!severity.reviewRequired || published);
        const closedAt = closed ? new Date(Math.max(resolvedAt.getTime(), publishedAt?.getTime() ?? 0) + between(0.1, 1) * day) : null;

        const incidentId = randomUUID();
        const events: Prisma.TimelineEventCreateManyInput[] = [];
        const event = (at: Date, kind: Prisma.TimelineEventCreateManyInput['kind'], body: string, actor: Actor | null, data: Prisma.InputJsonValue = {}, pinned = false) =>
          events.push({ incidentId, seq: events.length + 1, kind, actorId: actor?.id ?? null, occurredAt: at, recordedAt: at, body, data, pinned });
        const updates: Date[] = [];
        // Updates roughly on cadence while it is open; some run late.
        for (let at = declaredAt.getTime() + severity.updateCadenceMinutes * minute * between(0.4, 1.1); at < resolvedAt.getTime(); at += severity.updateCadenceMinutes * minute * between(0.6, random() < 0.8 ? 1 : 1.6)) {
          updates.push(new Date(at));
        }
        updates.push(new Date(resolvedAt.getTime() + between(2, 10) * minute));

        const pagedAt = level <= 2 ? new Date(declaredAt.getTime() + (0.2 + pagingRandom() * 0.8) * minute) : null;
        await tx.incident.create({
          data: {
            id: incidentId,
            title: plan.story.title,
            summary: `${plan.story.title}. ${plan.story.cause}`,
            severityKey: plan.severity,
            status: closed ? 'closed' : 'resolved',
            services: plan.story.services,
            customerImpact: level <= 2,
            startedAt,
            detectedAt,
            declaredAt,
            acknowledgedAt,
            pagedAt,
            mitigatedAt,
            resolvedAt,
            closedAt,
            declaredById: commander.id,
            createdAt: declaredAt,
            updatedAt: closedAt ?? resolvedAt,
          },
        });
        await tx.incidentRole.create({ data: { incidentId, role: 'commander', userId: commander.id, since: declaredAt } });
        event(declaredAt, 'system', `${commander.name} declared ${plan.severity}: ${plan.story.title}.`, commander, { declared: true });
        // SEV1 and SEV2 page the on-call person straight after the declaration (so the response
        // clock still starts at the declaration), for /insights' pages per person. Only the
        // trigger goes on the timeline: its acknowledgement could fall after later events' seqs.
        if (pagedAt) {
          const responder = people[Math.floor(pagingRandom() * people.length)]!;
          const pageId = randomUUID();
          const pageAcknowledgedAt = new Date(Math.max(acknowledgedAt.getTime(), pagedAt.getTime() + minute));
          await tx.page.create({
            data: {
              id: pageId,
              title: plan.story.title,
              status: 'resolved',
              target: { user: responder.email, name: responder.name },
              policy: directPolicy({ user: responder.email }) as Prisma.InputJsonValue,
              levelAt: pagedAt,
              incidentId,
              triggeredById: commander.id,
              acknowledgedById: responder.id,
              acknowledgedAt: pageAcknowledgedAt,
              resolvedById: commander.id,
              resolvedAt,
              createdAt: pagedAt,
              updatedAt: resolvedAt,
            },
          });
          const sentAt = new Date(pagedAt.getTime() + (2 + pagingRandom() * 10) * 1000);
          await tx.pageNotification.create({
            data: { pageId, level: 1, cycle: 1, userId: responder.id, kind: 'email', dueAt: pagedAt, subject: `Page: ${plan.story.title}`, status: 'succeeded', attemptCount: 1, createdAt: pagedAt, completedAt: sentAt },
          });
          event(pagedAt, 'page', `${commander.name} paged ${responder.name}: “${plan.story.title}”.`, commander, { pageId, event: 'triggered' });
        }
        event(new Date(declaredAt.getTime() + (acknowledgedAt.getTime() - declaredAt.getTime()) / 2 + minute), 'status', `${commander.name} changed the status from investigating to identified.`, commander, { from: 'investigating', to: 'identified' });
        event(mitigatedAt, 'status', `${commander.name} changed the status from identified to monitoring.`, commander, { from: 'identified', to: 'monitoring' });
        event(resolvedAt, 'status', `${commander.name} changed the status from monitoring to resolved.`, commander, { from: 'monitoring', to: 'resolved' }, true);
        const poster = pick(people);
        for (const [i, at] of updates.entries()) {
          const last = i === updates.length - 1;
          event(at, 'communication', `${poster.name} posted ${last ? 'a public' : 'an internal'} update.`, poster, { audience: last ? 'public' : 'internal' });
        }
        await tx.statusUpdate.createMany({
          data: updates.map((at, i) => {
            const last = i === updates.length - 1;
            return {
              incidentId,
              audience: last ? ('public' as const) : ('internal' as const),
              body: last ? `Resolved: ${plan.story.title.toLowerCase()}. We are sorry for the trouble.` : `Still working on it: ${plan.story.title.toLowerCase()}.`,
              incidentStatus: last ? ('resolved' as const) : ('identified' as const),
              postedById: poster.id,
              postedAt: at,
            };
          }),
        });

        // A runbook checklist where one fits: the deploy rollback for checkout, gateway and search; the database one for the database.
        const runbookId = plan.story.services.includes('database') ? runbooks.database : plan.story.services.some((s) => ['checkout', 'api-gateway', 'search'].includes(s)) ? runbooks.rollback : null;
        const checklist: ReviewData['checklists'] = [];
        if (runbookId && random() < 0.8) {
          const version = versions.get(runbookId)!;
          const phases = version.phases as (RunbookPhase & { steps: StoredStep[] })[];
          const checklistId = randomUUID();
          const attachedAt = new Date(declaredAt.getTime() + between(2, 8) * minute);
          await tx.checklist.create({ data: { id: checklistId, incidentId, runbookVersionId: version.id, title: version.title, attachedById: commander.id, attachedAt } });
          event(attachedAt, 'checklist', `${commander.name} attached the runbook “${version.title}”.`, commander, { checklistId, runbookId, version: 1, attached: true });
          let at = attachedAt.getTime();
          let position = 0;
          const items: Prisma.ChecklistItemCreateManyInput[] = [];
          for (const phase of phases) {
            for (const step of phase.steps) {
              const skip = /Freeze further deploys/.test(step.title) ? random() < 0.7 : /restore from the last backup/.test(step.title) ? random() < 0.9 : random() < 0.05;
              // "Roll back" takes longest; the rest a few minutes each.
              at += (/Roll back|Fail over/.test(step.title) ? between(8, 25) : between(1, 6)) * minute;
              const who = pick(people);
              items.push({ checklistId, position: position++, phase: phase.title, title: step.title, detail: step.detail ?? '', command: step.command ?? null, state: skip ? 'skipped' : 'done', note: skip ? pick(skipNotes) : null, changedById: who.id, changedAt: new Date(at) });
              if (/Roll back to the previous version/.test(step.title) && random() < 0.55) {
                at += between(2, 6) * minute;
                items.push({ checklistId, position: position++, phase: phase.title, title: 'Purge the CDN cache for the checkout assets', detail: 'Old assets kept being served after the rollback.', adHoc: true, addedById: who.id, state: 'done', changedById: who.id, changedAt: new Date(at) });
              }
            }
          }
          await tx.checklistItem.createMany({ data: items });
          checklist.push({
            title: version.title,
            items: items.map((i) => ({ title: i.title, state: i.state as 'done', note: i.note ?? null, adHoc: Boolean(i.adHoc), by: people.find((p) => p.id === i.changedById)?.name ?? null })),
          });
        }

        // Follow-ups: the reviewed incidents', some done, the rest due by severity.
        const followUps = reviewed ? plan.story.followUps : [];
        const actionItems: ReviewData['actionItems'] = [];
        for (const title of followUps) {
          const createdAt = new Date(resolvedAt.getTime() + between(0.2, 3) * day);
          const due = new Date(createdAt.getTime() + [7, 14, 30, 60][level - 1]! * day);
          const done = plan.daysAgo > 20 ? random() < 0.7 : plan.daysAgo > 12 && random() < 0.3;
          const owner = pick(people);
          const dueDate = due.toISOString().slice(0, 10);
          await tx.actionItem.create({
            data: { incidentId, title, ownerId: owner.id, dueDate: new Date(`${dueDate}T00:00:00Z`), status: done ? 'done' : 'open', createdById: commander.id, createdAt, completedAt: done ? new Date(Math.min(now.getTime(), createdAt.getTime() + between(1, 20) * day)) : null },
          });
          actionItems.push({ title, owner: owner.name, dueDate, status: done ? 'done' : 'open', url: null });
        }

        if (closedAt) event(closedAt, 'status', `${commander.name} changed the status from resolved to closed.`, commander, { from: 'resolved', to: 'closed' });
        events.sort((a, b) => new Date(a.occurredAt).getTime() - new Date(b.occurredAt).getTime());
        events.forEach((e, i) => (e.seq = i + 1));
        await tx.timelineEvent.createMany({ data: events });
        await tx.incident.update({ where: { id: incidentId }, data: { lastSeq: events.length } });

        if (reviewed) await writeReview(tx, { incidentId, plan, severity, startedAt, detectedAt, declaredAt, acknowledgedAt, mitigatedAt, resolvedAt, closedAt, commander, checklist, actionItems, updates, publishedAt });
      }
    },
    { timeout: 120_000 },
  );
}

async function writeReview(
  tx: Tx,
  d: {
    incidentId: string;
    plan: { story: Story; severity: string };
    severity: { key: string; name: string; level: number };
    startedAt: Date;
    detectedAt: Date | null;
    declaredAt: Date;
    acknowledgedAt: Date;
    mitigatedAt: Date;
    resolvedAt: Date;
    closedAt: Date | null;
    commander: Actor;
    checklist: ReviewData['checklists'];
    actionItems: ReviewData['actionItems'];
    updates: Date[];
    publishedAt: Date | null;
  },
): Promise<void> {
  const incident = await tx.incident.findUniqueOrThrow({ where: { id: d.incidentId }, select: { number: true } });
  const data: ReviewData = {
    incident: {
      number: incident.number,
      key: `INC-${incident.number}`,
      title: d.plan.story.title,
      summary: `${d.plan.story.title}. ${d.plan.story.cause}`,
      severity: { key: d.severity.key, name: d.severity.name },
      status: d.closedAt ? 'closed' : 'resolved',
      services: d.plan.story.services,
      customerImpact: d.severity.level <= 2,
      times: { startedAt: d.startedAt, detectedAt: d.detectedAt, declaredAt: d.declaredAt, acknowledgedAt: d.acknowledgedAt, mitigatedAt: d.mitigatedAt, resolvedAt: d.resolvedAt, closedAt: d.closedAt },
    },
    severityChanges: [],
    roles: [{ role: 'commander', holder: d.commander.name, since: d.declaredAt }],
    roleHistory: [],
    smes: [],
    events: [],
    checklists: d.checklist,
    deliveries: [],
    updates: d.updates.map((at) => ({ at, audience: 'internal' as const, body: 'Status update', by: null })),
    actionItems: d.actionItems,
  };
  const review = await tx.postmortem.create({
    data: { incidentId: d.incidentId, status: d.publishedAt ? 'published' : 'draft', createdById: d.commander.id, createdAt: d.resolvedAt, publishedAt: d.publishedAt, version: 2 },
  });
  await tx.postmortemSection.createMany({
    data: generateSections(data).map((section, position) => {
      const written = section.key === 'root_cause';
      return {
        postmortemId: review.id,
        key: section.key,
        title: section.title,
        position,
        body: written ? `${d.plan.story.cause}\n\nContributing: the alert fired, but nobody connected it to the change for a while.` : section.body,
        generated: section.generated,
        edited: written,
        changedInVersion: written ? 2 : 1,
        changedById: written ? d.commander.id : null,
      };
    }),
  });
}
