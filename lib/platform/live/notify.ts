// Change notifications over Postgres NOTIFY. They are sent inside the writing transaction, so
// they are delivered when (and only if) it commits, in commit order. A notification carries ids
// only; listeners read the row itself (payloads are capped at 8 kB and must not leak data).
//
// Each domain declares its channels with defineChannel; `topic` says which subscribers a
// notification is for (an incident's id, say), so a stream wakes only for its own changes.
import 'server-only';
import type { Tx } from '@/lib/platform/db';

export type LiveChannel<N> = {
  /** The PostgreSQL channel name: a plain identifier, it is spliced into LISTEN. */
  name: string;
  topic(notification: N): string;
};

export function defineChannel<N>(name: string, topic: (notification: N) => string): LiveChannel<N> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`${name} is not a plain lower-case identifier`);
  return { name, topic };
}

export async function notifyChannel<N>(tx: Tx, channel: LiveChannel<N>, notification: N): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${channel.name}, ${JSON.stringify(notification)})`;
}
