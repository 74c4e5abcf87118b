// The pages' NOTIFY channel: a page changed (triggered, a level notified, a notification sent or
// failed, acknowledged, resolved, reassigned). /pages follows it through lib/oncall/stream.ts.
import 'server-only';
import type { Tx } from '@/lib/platform/db';
import { defineChannel, notifyChannel } from '@/lib/platform/live/notify';

export type PageChange = { pageId: string };

export const pagesChannel = defineChannel<PageChange>('sitrep_pages', (change) => change.pageId);

export function notifyPageChanged(tx: Tx, pageId: string): Promise<void> {
  return notifyChannel(tx, pagesChannel, { pageId });
}
