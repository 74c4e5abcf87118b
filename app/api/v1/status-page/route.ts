import { apiRoute, json } from '@/lib/platform/http/route';
import { getBrandingOperation, saveBrandingOperation } from '@/lib/communications/operations';
import { getBranding } from '@/lib/communications/queries';
import { saveBranding } from '@/lib/communications/service';

export const GET = apiRoute(getBrandingOperation, async () => json(await getBranding()));

export const PUT = apiRoute(saveBrandingOperation, async ({ actor, body, requestId }) => json(await saveBranding(body, { actor, requestId })));
