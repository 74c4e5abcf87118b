import { apiRoute, json } from '@/lib/platform/http/route';
import { deleteReviewTemplateOperation, updateReviewTemplateOperation } from '@/lib/postmortems/operations';
import { deleteReviewTemplate, updateReviewTemplate } from '@/lib/postmortems/templates';

export const PUT = apiRoute(updateReviewTemplateOperation, async ({ actor, params, body, requestId }) => json(await updateReviewTemplate(params.id, body, { actor, requestId })));

export const DELETE = apiRoute(deleteReviewTemplateOperation, async ({ actor, params, requestId }) => {
  await deleteReviewTemplate(params.id, { actor, requestId });
  return new Response(null, { status: 204 });
});
