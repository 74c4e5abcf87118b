// Defining and maintaining remediation actions (edit, Test, enable), parameters in templates,
// firing from a runbook step and Re-send, on a real PostgreSQL and a local HTTP receiver.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@/lib/platform/auth/policy';
import { attachRunbook } from '@/lib/checklists/service';
import { db } from '@/lib/platform/db';
import { ConflictError, PreconditionFailedError, ValidationError } from '@/lib/platform/errors';
import { declareIncident } from '@/lib/incidents/service';
import { getAction, getDelivery } from '@/lib/remediation/queries';
import { createAction, fireRemediation, previewAction, previewStoredAction, resendDelivery, setActionEnabled, updateAction } from '@/lib/remediation/service';
import { startDeliveryWorker, stopDeliveryWorker } from '@/lib/remediation/delivery';
import { createRunbook } from '@/lib/runbooks/service';
import { createUser } from '@/lib/users/service';

type Seen = { headers: http.IncomingHttpHeaders; body: string };

let server: http.Server;
let base: string;
const seen: Seen[] = [];
let admin: Actor;
let responder: Actor;
let incident: number;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      seen.push({ headers: req.headers, body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '::', resolve));
  base = `http://localhost:${(server.address() as AddressInfo).port}`;
  await db.$executeRawUnsafe('TRUNCATE users, incidents, audit_logs, remediation_actions, runbooks CASCADE');
  const a = await createUser({ email: 'admin@example.com', name: 'Ada Admin', role: 'admin' }, { actor: null });
  const r = await createUser({ email: 'rita@example.com', name: 'Rita Responder', role: 'responder' }, { actor: null });
  admin = { id: a.id, email: a.email, name: a.name, role: a.role };
  responder = { id: r.id, email: r.email, name: r.name, role: r.role };
  incident = (await declareIncident({ title: 'Queue "orders" backs up', severity: 'SEV1' }, { actor: responder })).number;
  await startDeliveryWorker({ concurrency: 2 });
});

afterAll(async () => {
  await stopDeliveryWorker();
  server.close();
  await db.$disconnect();
});

async function settled(id: string) {
  const until = Date.now() + 20_000;
  for (;;) {
    const delivery = (await getDelivery(id, 'installation'))!;
    if (delivery.status === 'succeeded' || delivery.status === 'failed') return delivery;
    if (Date.now() > until) throw new Error(`delivery still ${delivery.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const scaleTemplate = '{"incident": "{{incident.key}}", "replicas": {{params.replicas}}, "dryRun": {{params.dry_run}}, "by": "{{actor.email}}"}';
const scale = (name: string, overrides: Record<string, unknown> = {}) =>
  createAction(
    {
      name,
      url: `${base}/scale`,
      headers: [
        { name: 'Authorization', value: 'Bearer s3cret-token', secret: true },
        { name: 'X-Team', value: 'sre', secret: false },
      ],
      bodyTemplate: scaleTemplate,
      parameters: [
        { name: 'replicas', type: 'number', required: true },
        { name: 'dry_run', type: 'boolean' },
      ],
      ...overrides,
    },
    { actor: admin },
  );

describe('editing an action', () => {
  it('keeps a stored secret header when its value is left out, refuses a stale version, and records the change', async () => {
    const { action } = await scale('Scale orders');
    const updated = await updateAction(
      action.id,
      { name: 'Scale orders workers', url: `${base}/scale/v2`, headers: [{ name: 'Authorization', secret: true }, { name: 'X-Team', value: 'platform' }], bodyTemplate: scaleTemplate, parameters: action.parameters, timeoutMs: 5000 },
      { ifVersion: action.version },
      { actor: admin },
    );
    expect(updated).toMatchObject({ name: 'Scale orders workers', url: `${base}/scale/v2`, timeoutMs: 5000, version: action.version + 1 });
    // Every value is sealed, whatever the header's name; admins see a hint of each.
    expect(updated.headers).toEqual([
      { name: 'Authorization', value: null, secret: true, hint: '…oken' },
      { name: 'X-Team', value: null, secret: true, hint: '…form' },
    ]);
    const row = await db.remediationAction.findUniqueOrThrow({ where: { id: action.id } });
    expect(JSON.stringify(row.headers)).not.toMatch(/s3cret|platform/);
    // Responders and viewers see the names only.
    expect((await getAction(action.id, responder))!.headers).toEqual([
      { name: 'Authorization', value: null, secret: true, hint: null },
      { name: 'X-Team', value: null, secret: true, hint: null },
    ]);
    // The secret is still there: it is sent.
    const delivery = await fireRemediation(incident, { actionId: action.id, parameters: { replicas: '4' } }, { actor: responder });
    await settled(delivery.id);
    const request = seen.find((s) => s.headers['webhook-id'] === delivery.id)!;
    expect(request.headers.authorization).toBe('Bearer s3cret-token');
    expect(request.headers['x-team']).toBe('platform');
    expect(JSON.parse(request.body)).toEqual({ incident: `INC-${incident}`, replicas: 4, dryRun: null, by: 'rita@example.com' });

    // Someone else's edit in between: the older form is refused, nothing changes.
    await expect(updateAction(action.id, { name: 'Lost edit', url: `${base}/x` }, { ifVersion: action.version }, { actor: admin })).rejects.toBeInstanceOf(PreconditionFailedError);
    expect((await db.remediationAction.findUniqueOrThrow({ where: { id: action.id } })).name).toBe('Scale orders workers');
    const audit = await db.auditLog.findFirst({ where: { action: 'remediation_action.updated', targetId: action.id } });
    expect(audit?.detail).toMatchObject({ changed: expect.arrayContaining(['name', 'url', 'timeoutMs']) });
  });

  it('refuses a new secret header without a value, an internal URL and a template naming an undeclared parameter, changing nothing', async () => {
    const { action } = await scale('Scale search');
    const before = await db.remediationAction.findUniqueOrThrow({ where: { id: action.id } });
    await expect(updateAction(action.id, { name: 'Scale search', url: `${base}/s`, headers: [{ name: 'X-Api-Key', secret: true }] }, {}, { actor: admin })).rejects.toThrow(/Give a value for the header X-Api-Key/);
    await expect(updateAction(action.id, { name: 'Scale search', url: 'http://169.254.169.254/latest/meta-data' }, {}, { actor: admin })).rejects.toBeInstanceOf(ValidationError);
    const error = await updateAction(action.id, { name: 'Scale search', url: `${base}/s`, bodyTemplate: '{\n  "zone": "{{params.zone}}"\n}' }, {}, { actor: admin }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors[0]).toMatchObject({ path: 'bodyTemplate', message: expect.stringMatching(/^Line 2, column 12: Unknown variable \{\{params\.zone\}\} \(add a parameter named zone/) });
    await expect(updateAction(action.id, { name: 'Scale orders workers', url: `${base}/s` }, {}, { actor: admin })).rejects.toBeInstanceOf(ConflictError);
    expect(await db.remediationAction.findUniqueOrThrow({ where: { id: action.id } })).toEqual(before);
  });
});

describe('Test (preview)', () => {
  it('shows exactly what would be sent, signed with the real secret, masks secrets, and sends nothing', async () => {
    const { action, signingSecret } = await scale('Scale payments');
    const requestsBefore = seen.length;
    const preview = await previewStoredAction(action.id, { incidentNumber: incident, parameters: { replicas: 9 } }, { actor: admin });
    expect(preview.method).toBe('POST');
    expect(preview.destination).toEqual({ ok: true });
    expect(JSON.parse(preview.body)).toEqual({ incident: `INC-${incident}`, replicas: 9, dryRun: true, by: 'admin@example.com' });
    const headers = Object.fromEntries(preview.headers.map((h) => [h.name, h.value]));
    expect(headers.authorization).not.toContain('s3cret');
    expect(headers['x-team']).toMatch(/^•+ \(sealed/);
    // The signature verifies with the action's secret: it is the real one.
    expect(() => new Webhook(signingSecret).verify(preview.body, headers)).not.toThrow();
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.length).toBe(requestsBefore);
    expect(await db.remediationDelivery.count({ where: { actionId: action.id } })).toBe(0);
  });

  it('renders an unsaved form, reports a template error with its position, and says when the destination would be refused', async () => {
    const preview = await previewAction({ name: 'Draft', url: 'http://10.0.0.5/hook', bodyTemplate: '{"t": "{{incident.title}}"}' }, {}, { actor: admin });
    expect(JSON.parse(preview.body)).toEqual({ t: 'Queue "orders" backs up' });
    expect(preview.destination).toMatchObject({ ok: false });
    await expect(previewAction({ name: 'Draft', url: `${base}/x`, bodyTemplate: '{"a": 1,}' }, {}, { actor: admin })).rejects.toThrow(/Line 1, column 9/);
  });
});

describe('firing from a runbook step, Re-send, enable', () => {
  it('fires the step’s action with confirmation, names the step on the timeline, and Re-send makes a new delivery', async () => {
    const { action } = await scale('Fail over orders DB', { requiresConfirmation: true, parameters: [{ name: 'replicas', type: 'number' }, { name: 'dry_run', type: 'boolean' }] });
    const runbook = await createRunbook(
      { title: 'Orders DB failover', phases: [{ title: 'Mitigate', steps: [{ title: 'Promote the replica', remediationActionId: action.id }, { title: 'Check lag' }] }] },
      { actor: admin },
    );
    await attachRunbook(incident, runbook.id, { actor: responder });
    const step = await db.checklistItem.findFirstOrThrow({ where: { title: 'Promote the replica' } });
    const other = await db.checklistItem.findFirstOrThrow({ where: { title: 'Check lag' } });
    expect(step.remediationActionId).toBe(action.id);

    await expect(fireRemediation(incident, { actionId: action.id, checklistItemId: step.id }, { actor: responder })).rejects.toBeInstanceOf(ConflictError);
    await expect(fireRemediation(incident, { actionId: action.id, checklistItemId: other.id, confirm: true }, { actor: responder })).rejects.toThrow(/not linked/);
    const first = await fireRemediation(incident, { actionId: action.id, checklistItemId: step.id, confirm: true, parameters: { replicas: 2 } }, { actor: responder });
    await settled(first.id);
    const event = await db.timelineEvent.findFirstOrThrow({ where: { kind: 'remediation', data: { path: ['deliveryId'], equals: first.id }, body: { contains: 'fired' } } });
    expect(event.body).toBe('Rita Responder fired “Fail over orders DB” (replicas=2) from the runbook step “Promote the replica”.');

    await expect(resendDelivery(first.id, {}, { actor: responder })).rejects.toBeInstanceOf(ConflictError);
    const again = await resendDelivery(first.id, { confirm: true }, { actor: responder });
    expect(again.id).not.toBe(first.id);
    expect(again.parameters).toEqual({ replicas: 2 });
    await settled(again.id);
    expect(seen.filter((s) => s.headers['webhook-id'] === again.id)).toHaveLength(1);
  });

  it('refuses a runbook step linked to an action that does not exist', async () => {
    await expect(
      createRunbook({ title: 'Broken link', phases: [{ title: 'Fix', steps: [{ title: 'Run it', remediationActionId: '00000000-0000-4000-8000-000000000000' }] }] }, { actor: admin }),
    ).rejects.toThrow(/links to a remediation action that does not exist/);
    expect(await db.runbook.count({ where: { title: 'Broken link' } })).toBe(0);
  });

  it('a disabled action cannot be fired until it is enabled again', async () => {
    const { action } = await scale('Restart orders');
    await setActionEnabled(action.id, false, { actor: admin });
    await expect(fireRemediation(incident, { actionId: action.id, parameters: { replicas: 1 } }, { actor: responder })).rejects.toThrow(/is disabled/);
    const enabled = await setActionEnabled(action.id, true, { actor: admin });
    expect(enabled.disabled).toBeNull();
    const delivery = await fireRemediation(incident, { actionId: action.id, parameters: { replicas: 1 } }, { actor: responder });
    expect((await settled(delivery.id)).status).toBe('succeeded');
  });
});
