import { apiRoute, json } from '@/lib/platform/http/route';
import { createTemplateOperation, listTemplatesOperation } from '@/lib/communications/operations';
import { listTemplates } from '@/lib/communications/queries';
import { createTemplate } from '@/lib/communications/service';

export const GET = apiRoute(listTemplatesOperation, async () => json({ items: await listTemplates() }));

export const POST = apiRoute(createTemplateOperation, async ({ actor, body, requestId }) => json(await createTemplate(body, { actor, requestId }), { status: 201 }));
