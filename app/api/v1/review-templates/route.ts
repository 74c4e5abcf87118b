import { apiRoute, json } from '@/lib/platform/http/route';
import { createReviewTemplateOperation, listReviewTemplatesOperation } from '@/lib/postmortems/operations';
import { createReviewTemplate, listReviewTemplates } from '@/lib/postmortems/templates';

export const GET = apiRoute(listReviewTemplatesOperation, async () => json({ items: await listReviewTemplates() }));

export const POST = apiRoute(createReviewTemplateOperation, async ({ actor, body, requestId }) => json(await createReviewTemplate(body, { actor, requestId }), { status: 201 }));
