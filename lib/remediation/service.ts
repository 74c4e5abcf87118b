// Remediation actions (admin-defined webhooks) and their deliveries. Firing records the delivery,
// its timeline event and its first queue job in one transaction; the worker (worker.ts) makes the
// attempts and records each one, with the next job, in one transaction too.
import 'server-only';
import { randomBytes, randomUUID } from 'node:crypto';
import { recordAudit } from '@/lib/audit/service';
import { hasRole } from '@/lib/platform/auth/policy';
import { encryptSecret } from '@/lib/platform/crypto';
import { db, type Tx } from '@/lib/platform/db';
import { ConflictError, ForbiddenError, NotFoundError, parseInput, PreconditionFailedError, ValidationError } from '@/lib/platform/errors';
import type { Prisma } from '@/lib/generated/prisma/client';
import { incidentKey } from '@/lib/incidents/schema';
import { allowHosts, encryptionKey } from '@/lib/platform/delivery/config';
import { checkDestination } from '@/lib/platform/delivery/destination';
import { headerHint, toActionDto, type StoredHeader } from '@/lib/remediation/dto';
import { getDelivery } from '@/lib/remediation/queries';
import { signatureHeaders } from '@/lib/remediation/signing';
import { enqueueDelivery } from '@/lib/remediation/delivery';
import { actionInputSchema, fireInputSchema, type ActionDto, type ActionPreview, type ActionInput, type ActionParameter, type DeliveryDto, type FireInput } from '@/lib/remediation/schema';
import { defaultBody, renderTemplate, TemplateError, validateTemplate, type TemplateContext } from '@/lib/remediation/template';
import { publicUrl } from '@/lib/platform/urls';
import { appendTimelineEvent, findIncidentForWrite } from '@/lib/timeline/append';
import { acknowledgeOnFirstAction } from '@/lib/incidents/acknowledge';
import { canSee, viewerOf } from '@/lib/incidents/visibility';
import type { ChangedBy } from '@/lib/platform/auth/policy';
import { shown } from '@/lib/platform/validation';

function newSigningSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

async function validateDestination(url: string): Promise<void> {
  const check = await checkDestination(url, { allowHosts: allowHosts() });
  if (!check.ok) throw new ValidationError([{ path: 'url', message: check.reason }]);
}

function validateBodyTemplate(template: string | null | undefined, parameters: readonly ActionParameter[]): void {
  if (!template?.trim()) return;
  const result = validateTemplate(template, parameters);
  if (!result.ok) throw new ValidationError([{ path: 'bodyTemplate', message: `Line ${result.line}, column ${result.column}: ${result.message}` }]);
}

// Every value is sealed, whatever the header's name: `X-Auth` or `X-Pass` can be a credential too.
function sealHeader(name: string, value: string, key: Buffer): StoredHeader {
  return { name, encrypted: encryptSecret(value, key), hint: headerHint(value) };
}

function storeHeaders(headers: { name: string; value?: string; secret: boolean }[], previous: StoredHeader[], key: Buffer): StoredHeader[] {
  return headers.map((header) => {
    if (header.value !== undefined) return sealHeader(header.name, header.value, key);
    // Left out: keep the stored value (sealing one stored in clear before every value was sealed).
    const kept = previous.find((p) => p.name.toLowerCase() === header.name.toLowerCase());
    if (!kept) throw new ValidationError([{ path: 'headers', message: `Give a value for the header ${header.name}` }]);
    return kept.encrypted ? { name: header.name, encrypted: kept.encrypted, hint: kept.hint ?? '•••' } : sealHeader(header.name, kept.value ?? '', key);
  });
}

/** Creates an action; its signing secret is returned this once. */
export async function createAction(input: ActionInput, by: ChangedBy): Promise<{ action: ActionDto; signingSecret: string }> {
  const data = parseInput(actionInputSchema, input);
  await validateDestination(data.url);
  validateBodyTemplate(data.bodyTemplate, data.parameters);
  const key = encryptionKey('remediation secrets');
  const signingSecret = newSigningSecret();
  return db.$transaction(async (tx) => {
    if (await tx.remediationAction.findUnique({ where: { name: data.name } })) throw new ConflictError(`An action named “${data.name}” already exists; pick another name.`);
    const action = await tx.remediationAction.create({
      data: {
        name: data.name,
        description: data.description,
        services: data.services,
        tags: data.tags,
        url: data.url,
        method: data.method,
        headers: storeHeaders(data.headers, [], key) as Prisma.InputJsonValue,
        bodyTemplate: data.bodyTemplate?.trim() ? data.bodyTemplate : null,
        timeoutMs: data.timeoutMs,
        maxAttempts: data.maxAttempts,
        requiresConfirmation: data.requiresConfirmation,
        minRole: data.minRole,
        parameters: data.parameters as Prisma.InputJsonValue,
        signingSecret: encryptSecret(signingSecret, key),
      },
    });
    await recordAudit(tx, { actorId: by.actor?.id ?? null, action: 'remediation_action.created', targetType: 'remediation_action', targetId: action.id, detail: { name: action.name, url: action.url }, requestId: by.requestId });
    return { action: toActionDto(action, by.actor), signingSecret };
  });
}

/**
 * Saves an edited action. A secret header sent without a value keeps its stored value; the
 * signing secret is unchanged (rotate it on its own). `ifVersion` refuses a save over someone
 * else's newer edit.
 */
export async function updateAction(id: string, input: ActionInput, options: { ifVersion?: number }, by: ChangedBy): Promise<ActionDto> {
  const data = parseInput(actionInputSchema, input);
  await validateDestination(data.url);
  validateBodyTemplate(data.bodyTemplate, data.parameters);
  const key = encryptionKey('remediation secrets');
  return db.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ version: number }[]>`SELECT version FROM remediation_actions WHERE id = ${id}::uuid FOR UPDATE`;
    if (!locked) throw new NotFoundError('That remediation action does not exist.');
    if (options.ifVersion !== undefined && options.ifVersion !== locked.version) {
      throw new PreconditionFailedError(`Someone saved this action (now version ${locked.version}) while you were editing version ${options.ifVersion}. Reload it and apply your changes again.`);
    }
    const current = await tx.remediationAction.findUniqueOrThrow({ where: { id } });
    const clash = await tx.remediationAction.findFirst({ where: { name: data.name, id: { not: id } }, select: { id: true } });
    if (clash) throw new ConflictError(`An action named “${data.name}” already exists; pick another name.`);
    const action = await tx.remediationAction.update({
      where: { id },
      data: {
        name: data.name,
        description: data.description,
        services: data.services,
        tags: data.tags,
        url: data.url,
        method: data.method,
        headers: storeHeaders(data.headers, current.headers as StoredHeader[], key) as Prisma.InputJsonValue,
        bodyTemplate: data.bodyTemplate?.trim() ? data.bodyTemplate : null,
        timeoutMs: data.timeoutMs,
        maxAttempts: data.maxAttempts,
        requiresConfirmation: data.requiresConfirmation,
        minRole: data.minRole,
        parameters: data.parameters as Prisma.InputJsonValue,
        version: { increment: 1 },
      },
    });
    const changed = (['name', 'url', 'method', 'bodyTemplate', 'timeoutMs', 'maxAttempts', 'requiresConfirmation', 'minRole'] as const).filter((field) => current[field] !== action[field]);
    await recordAudit(tx, { actorId: by.actor?.id ?? null, action: 'remediation_action.updated', targetType: 'remediation_action', targetId: id, detail: { name: action.name, changed }, requestId: by.requestId });
    return toActionDto(action, by.actor);
  });
}

const SAMPLE_INCIDENT = { number: 0, key: 'INC-0', title: 'Sample incident for a test render', severity: 'SEV2', status: 'investigating' };

/**
 * "Test": renders exactly what firing would send (body, headers, signature) without sending
 * anything. Works on unsaved form input; `id` signs with that action's stored secret and keeps
 * its stored secret headers; the incident is the one given, else the newest open one.
 */
export async function previewAction(input: ActionInput, options: { id?: string; incidentNumber?: number; parameters?: Record<string, string | number | boolean> }, by: ChangedBy): Promise<ActionPreview> {
  const data = parseInput(actionInputSchema, input);
  validateBodyTemplate(data.bodyTemplate, data.parameters);
  const stored = options.id ? await db.remediationAction.findUnique({ where: { id: options.id } }) : null;
  if (options.id && !stored) throw new NotFoundError('That remediation action does not exist.');
  const incident = options.incidentNumber
    ? await db.incident.findUnique({ where: { number: options.incidentNumber } })
    : await db.incident.findFirst({ where: { status: { notIn: ['resolved', 'closed'] } }, orderBy: { number: 'desc' } });
  if (options.incidentNumber && !incident) throw new NotFoundError(`There is no incident ${incidentKey(options.incidentNumber)}.`);
  const given = options.parameters ?? {};
  const params: Record<string, string | number | boolean> = {};
  for (const parameter of data.parameters) {
    const value = given[parameter.name];
    if (value !== undefined && value !== '') params[parameter.name] = value;
    else params[parameter.name] = parameter.type === 'number' ? 3 : parameter.type === 'boolean' ? true : `<${parameter.name}>`;
  }
  const checked = checkParameters(data.parameters, params);
  const deliveryId = randomUUID();
  const source = incident ? { number: incident.number, key: incidentKey(incident.number), title: incident.title, severity: incident.severityKey, status: incident.status } : SAMPLE_INCIDENT;
  const context: TemplateContext = {
    incident: { ...source, url: publicUrl(`/incidents/${source.number}`) },
    actor: { email: by.actor?.email ?? '', name: by.actor?.name ?? null },
    delivery: { id: deliveryId },
    action: { id: stored?.id ?? '00000000-0000-0000-0000-000000000000', name: data.name },
    params: checked,
  };
  const body = renderBody(data.bodyTemplate ?? null, context, data.parameters);
  const previous = (stored?.headers as StoredHeader[] | undefined) ?? [];
  const headers: ActionPreview['headers'] = [
    { name: 'content-type', value: 'application/json', secret: false },
    { name: 'user-agent', value: 'Sitrep-Remediation/1', secret: false },
    ...data.headers.map((header) => {
      if (header.value !== undefined) return { name: header.name.toLowerCase(), value: header.secret ? '•••••• (secret, sent decrypted)' : header.value, secret: header.secret };
      const stored = previous.find((p) => p.name.toLowerCase() === header.name.toLowerCase());
      return { name: header.name.toLowerCase(), value: `•••••• (sealed ${stored?.hint ?? '•••'}, sent decrypted)`, secret: true };
    }),
  ];
  const signature = stored
    ? signatureHeaders(stored, deliveryId, body)
    : { 'webhook-id': deliveryId, 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,<signed with the signing secret shown when the action is saved>' };
  for (const [name, value] of Object.entries(signature)) headers.push({ name, value, secret: false });
  const check = await checkDestination(data.url, { allowHosts: allowHosts() });
  return {
    method: data.method,
    url: data.url,
    headers,
    body: data.method === 'GET' ? '' : body,
    destination: check.ok ? { ok: true } : { ok: false, reason: check.reason },
    incident: incident ? { number: incident.number, key: incidentKey(incident.number) } : null,
  };
}

/** "Test" for a saved action, as it is stored (secret headers kept, signed with its secret). */
export async function previewStoredAction(id: string, options: { incidentNumber?: number; parameters?: Record<string, string | number | boolean> }, by: ChangedBy): Promise<ActionPreview> {
  const action = await db.remediationAction.findUnique({ where: { id } });
  if (!action) throw new NotFoundError('That remediation action does not exist.');
  const input: ActionInput = {
    ...toActionDto(action, by.actor),
    headers: (action.headers as StoredHeader[]).map((h) => ({ name: h.name, secret: true })),
    minRole: action.minRole === 'admin' ? 'admin' : 'responder',
  };
  return previewAction(input, { ...options, id }, by);
}

/** Replaces the signing secret; the old one keeps being sent alongside for `overlapHours`. */
export async function rotateSigningSecret(id: string, overlapHours: number, by: ChangedBy): Promise<{ action: ActionDto; signingSecret: string }> {
  const key = encryptionKey('remediation secrets');
  const signingSecret = newSigningSecret();
  return db.$transaction(async (tx) => {
    const current = await tx.remediationAction.findUnique({ where: { id } });
    if (!current) throw new NotFoundError('That remediation action does not exist.');
    const action = await tx.remediationAction.update({
      where: { id },
      data: {
        signingSecret: encryptSecret(signingSecret, key),
        previousSigningSecret: overlapHours > 0 ? current.signingSecret : null,
        previousSecretUntil: overlapHours > 0 ? new Date(Date.now() + overlapHours * 3_600_000) : null,
        version: { increment: 1 },
      },
    });
    await recordAudit(tx, { actorId: by.actor?.id ?? null, action: 'remediation_action.secret_rotated', targetType: 'remediation_action', targetId: id, detail: { name: action.name, overlapHours }, requestId: by.requestId });
    return { action: toActionDto(action, by.actor), signingSecret };
  });
}

/** Re-enables an action that a receiver disabled with 410 Gone (or disables one by hand). */
export async function setActionEnabled(id: string, enabled: boolean, by: ChangedBy): Promise<ActionDto> {
  return db.$transaction(async (tx) => {
    const current = await tx.remediationAction.findUnique({ where: { id } });
    if (!current) throw new NotFoundError('That remediation action does not exist.');
    const action = await tx.remediationAction.update({
      where: { id },
      data: enabled ? { disabledAt: null, disabledReason: null, version: { increment: 1 } } : { disabledAt: new Date(), disabledReason: `Disabled by ${by.actor?.name ?? 'Sitrep'}`, version: { increment: 1 } },
    });
    await recordAudit(tx, { actorId: by.actor?.id ?? null, action: enabled ? 'remediation_action.enabled' : 'remediation_action.disabled', targetType: 'remediation_action', targetId: id, detail: { name: action.name }, requestId: by.requestId });
    return toActionDto(action, by.actor);
  });
}

function checkParameters(declared: ActionParameter[], given: Record<string, string | number | boolean>): Record<string, string | number | boolean> {
  const errors: { path: string; message: string }[] = [];
  const out: Record<string, string | number | boolean> = {};
  for (const name of Object.keys(given)) {
    if (!declared.some((p) => p.name === name)) errors.push({ path: `parameters.${name}`, message: `${name} is not a parameter of this action; it takes ${declared.map((p) => p.name).join(', ') || 'none'}` });
  }
  for (const parameter of declared) {
    const value = given[parameter.name];
    if (value === undefined || value === '') {
      if (parameter.required) errors.push({ path: `parameters.${parameter.name}`, message: `${parameter.name} is required` });
      continue;
    }
    if (parameter.type === 'number') {
      const number = typeof value === 'number' ? value : Number(value);
      if (typeof value === 'boolean' || !Number.isFinite(number)) errors.push({ path: `parameters.${parameter.name}`, message: `${parameter.name} is a number, not “${shown(value)}”` });
      else out[parameter.name] = number;
    } else if (parameter.type === 'boolean') {
      if (value === true || value === 'true') out[parameter.name] = true;
      else if (value === false || value === 'false') out[parameter.name] = false;
      else errors.push({ path: `parameters.${parameter.name}`, message: `${parameter.name} is true or false` });
    } else {
      out[parameter.name] = String(value);
    }
  }
  if (errors.length) throw new ValidationError(errors);
  return out;
}

/** The body a delivery sends: the action's template, or the default body (with the parameters given). */
function renderBody(template: string | null, context: TemplateContext, parameters: readonly ActionParameter[]): string {
  try {
    return template ? renderTemplate(template, context, parameters) : JSON.stringify({ ...defaultBody(context), ...(Object.keys(context.params).length ? { parameters: context.params } : {}) });
  } catch (error) {
    if (error instanceof TemplateError) throw new ValidationError([{ path: 'bodyTemplate', message: `The action's body template cannot be rendered: ${error.message}. An admin can fix it in Settings.` }]);
    throw error;
  }
}

/**
 * Fires an action for an incident: validates, then in one transaction records the delivery,
 * writes the `remediation` timeline event and enqueues attempt 1. Returns at once.
 */
export async function fireRemediation(number: number, input: FireInput, by: ChangedBy): Promise<DeliveryDto> {
  const request = parseInput(fireInputSchema, input);
  const actor = by.actor;
  const deliveryId = await db.$transaction(async (tx) => {
    const incident = await findIncidentForWrite(tx, number, by);
    const action = await tx.remediationAction.findUnique({ where: { id: request.actionId } });
    if (!action) throw new NotFoundError(`There is no remediation action with the id ${request.actionId}.`);
    if (action.disabledAt) throw new ConflictError(`“${action.name}” is disabled (${action.disabledReason ?? 'by an admin'}). An admin can enable it again in Settings → Remediation actions.`);
    if (!hasRole(actor, action.minRole)) throw new ForbiddenError(`Only admins may fire “${action.name}”.`);
    if (action.requiresConfirmation && request.confirm !== true) {
      throw new ConflictError(`“${action.name}” needs confirmation: send "confirm": true (in the command view, type the action's name).`);
    }
    const parameters = checkParameters(action.parameters as ActionParameter[], request.parameters);
    const step = request.checklistItemId
      ? await tx.checklistItem.findFirst({ where: { id: request.checklistItemId, checklist: { incidentId: incident.id } }, select: { title: true, remediationActionId: true } })
      : null;
    if (request.checklistItemId && (!step || step.remediationActionId !== action.id)) {
      throw new ValidationError([{ path: 'checklistItemId', message: `That runbook step is not on ${incidentKey(number)} or is not linked to “${action.name}”.` }]);
    }
    const full = await tx.incident.findUniqueOrThrow({ where: { id: incident.id } });
    const id = randomUUID();
    const context: TemplateContext = {
      incident: { number: full.number, key: incidentKey(full.number), title: full.title, severity: full.severityKey, status: full.status, url: publicUrl(`/incidents/${full.number}`) },
      actor: { email: actor?.email ?? '', name: actor?.name ?? null },
      delivery: { id },
      action: { id: action.id, name: action.name },
      params: parameters,
    };
    const body = renderBody(action.bodyTemplate, context, action.parameters as ActionParameter[]);
    await tx.remediationDelivery.create({ data: { id, actionId: action.id, incidentId: incident.id, requestedById: actor?.id ?? null, parameters: parameters as Prisma.InputJsonValue, body } });
    const listed = Object.entries(parameters).map(([k, v]) => `${k}=${String(v)}`).join(', ');
    await appendTimelineEvent(tx, incident.id, {
      kind: 'remediation',
      actorId: actor?.id ?? null,
      body: `${actor?.name ?? 'Sitrep'} fired “${action.name}”${listed ? ` (${listed})` : ''}${step ? ` from the runbook step “${step.title}”` : ''}.`,
      data: { deliveryId: id, actionId: action.id, status: 'pending', ...(request.checklistItemId ? { checklistItemId: request.checklistItemId } : {}) },
    });
    await enqueueDelivery(tx, { deliveryId: id, attempt: 1 });
    await acknowledgeOnFirstAction(tx, incident, actor, `fired “${action.name}”`);
    return id;
  });
  return (await getDelivery(deliveryId, viewerOf(by)))!;
}

/**
 * "Re-send": a new delivery of the same action with the same parameters (its own webhook-id, so
 * receivers treat it as a new request). Confirmation is asked again where the action needs it.
 */
export async function resendDelivery(deliveryId: string, input: { confirm?: boolean }, by: ChangedBy): Promise<DeliveryDto> {
  const previous = await db.remediationDelivery.findUnique({ where: { id: deliveryId } });
  // A delivery of an incident the caller may not see does not exist for them.
  if (!previous || !(await canSee(viewerOf(by), previous.incidentId))) throw new NotFoundError('That delivery does not exist.');
  const incident = await db.incident.findUniqueOrThrow({ where: { id: previous.incidentId }, select: { number: true } });
  return fireRemediation(incident.number, { actionId: previous.actionId, confirm: input.confirm, parameters: previous.parameters as Record<string, string | number | boolean> }, by);
}

/** A merged duplicate's remediation deliveries go with it to the incident it was merged into (in the merge's transaction). */
export async function moveDeliveries(tx: Tx, fromIncidentId: string, toIncidentId: string): Promise<number> {
  return (await tx.remediationDelivery.updateMany({ where: { incidentId: fromIncidentId }, data: { incidentId: toIncidentId } })).count;
}
