import 'server-only';
import { defaultBranding, brandingSchema, type Branding, type TemplateDto, type UpdateDto } from '@/lib/communications/schema';
import { BRANDING_KEY, ensureBuiltInTemplates } from '@/lib/communications/service';
import { renderUpdateBody } from '@/lib/communications/update-body';
import { db } from '@/lib/platform/db';
import { incidentKey } from '@/lib/incidents/schema';

/** An incident's status updates, newest first. */
export async function listIncidentUpdates(incidentId: string, options: { audience?: 'internal' | 'public'; take?: number } = {}): Promise<UpdateDto[]> {
  const [incident, rows] = await Promise.all([
    db.incident.findUniqueOrThrow({ where: { id: incidentId }, select: { number: true } }),
    db.statusUpdate.findMany({
      where: { incidentId, ...(options.audience ? { audience: options.audience } : {}) },
      include: { postedBy: { select: { email: true, name: true } } },
      orderBy: { postedAt: 'desc' },
      take: options.take ?? 100,
    }),
  ]);
  return rows.map((u) => ({
    id: u.id,
    incident: { number: incident.number, key: incidentKey(incident.number) },
    audience: u.audience,
    body: u.body,
    bodyHtml: renderUpdateBody(u.body),
    template: u.templateKey,
    status: u.incidentStatus,
    postedAt: u.postedAt.toISOString(),
    postedBy: u.postedBy,
  }));
}

export async function listTemplates(): Promise<TemplateDto[]> {
  await ensureBuiltInTemplates();
  const rows = await db.updateTemplate.findMany({ orderBy: [{ position: 'asc' }, { name: 'asc' }] });
  return rows.map((t) => ({ id: t.id, key: t.key, name: t.name, audience: t.audience, body: t.body, builtIn: t.builtIn, version: t.version }));
}

export async function getBranding(): Promise<Branding> {
  const row = await db.setting.findUnique({ where: { key: BRANDING_KEY } });
  const parsed = brandingSchema.safeParse(row?.value ?? {});
  return parsed.success ? parsed.data : defaultBranding;
}
