import { createSilenceOperation, listSilencesOperation } from '@/lib/alerts/operations';
import { listSilences } from '@/lib/alerts/queries';
import { createSilence } from '@/lib/alerts/service';
import { apiRoute, json } from '@/lib/platform/http/route';

export const GET = apiRoute(listSilencesOperation, async () => json({ items: await listSilences() }));

export const POST = apiRoute(createSilenceOperation, async ({ actor, body, requestId }) => json(await createSilence(body, { actor, requestId }), { status: 201 }));
