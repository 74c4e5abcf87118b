import { etag, ifMatchVersion } from '@/lib/platform/http/etag';
import { apiRoute, json } from '@/lib/platform/http/route';
import { saveSectionOperation } from '@/lib/postmortems/operations';
import { saveSection } from '@/lib/postmortems/service';

export const PATCH = apiRoute(saveSectionOperation, async ({ actor, params, body, request, requestId }) => {
  const version = ifMatchVersion(request, { required: true, what: 'review' })!;
  const review = await saveSection(params.number, params.key, body, version, { actor, requestId });
  return json(review, { headers: { etag: etag(review.version) } });
});
