// The pages' live stream (GET /api/v1/pages/stream): `page` with `{pageId}` whenever a page
// changes, `resync` after the LISTEN connection was lost (the list then reloads everything).
// Pages are few and their changes small, so the stream sends ids and the screen re-reads.
import 'server-only';
import { subscribe, type LiveSignal } from '@/lib/platform/live/listener';
import { sseResponse } from '@/lib/platform/live/sse';
import { pagesChannel, type PageChange } from '@/lib/oncall/live';

export function pagesStream(signal: AbortSignal): Response {
  return sseResponse(signal, async (stream) =>
    subscribe(pagesChannel, null, (change: LiveSignal<PageChange>) => {
      if (change.type === 'resync') stream.send({ event: 'resync', data: {} });
      else stream.send({ event: 'page', data: { pageId: change.notification.pageId } });
    }),
  );
}
