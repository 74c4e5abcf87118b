import { etag, ifMatchVersion } from '@/lib/platform/http/etag';
import { apiRoute, json } from '@/lib/platform/http/route';
import { deleteTemplateOperation, updateTemplateOperation } from '@/lib/communications/operations';
import { deleteTemplate, updateTemplate } from '@/lib/communications/service';

export const PUT = apiRoute(updateTemplateOperation, async ({ actor, params, body, request, requestId }) => {
  const ifVersion = ifMatchVersion(request, { required: false, what: 'template' });
  const template = await updateTemplate(params.key, body, { ifVersion }, { actor, requestId });
  return json(template, { headers: { etag: etag(template.version) } });
});

export const DELETE = apiRoute(deleteTemplateOperation, async ({ actor, params, requestId }) => {
  await deleteTemplate(params.key, { actor, requestId });
  return new Response(null, { status: 204 });
});
