// Two instances receiving the same alert at the same moment store one: two processes serving the
// ingest routes (tests/support/ingest-server.ts, each with its own connection pools) on one
// database, sent the same alert concurrently, half to each. The unique index decides, not luck.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createSource } from '@/lib/alerts/service';
import { db } from '@/lib/platform/db';
import { stopQueue } from '@/lib/platform/delivery/queue';
import { TSX_ARGS } from '@/scripts/support/tsx';
import { createUser } from '@/lib/users/service';

const root = path.resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];

/** Starts one instance and resolves with its URL once it listens. */
function startInstance(): Promise<string> {
  const child = spawn(process.execPath, [...TSX_ARGS, 'tests/support/ingest-server.ts'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: inject('databaseUrl'), SITREP_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const port = /listening (\d+)/.exec(output)?.[1];
      if (port) resolve(`http://127.0.0.1:${port}`);
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`The instance exited (${code}) before listening:\n${output}`)));
  });
}

let urls: string[];
let token: string;
let sourceId: string;

beforeAll(async () => {
  const admin = await createUser({ email: `two-${Date.now()}@example.com`, name: 'Two Instances', role: 'admin' }, { actor: null });
  const source = await createSource({ name: `Two instances ${Date.now()}`, kind: 'alertmanager', routes: [] }, { actor: { id: admin.id, email: admin.email, name: admin.name, role: admin.role } });
  token = source.token;
  sourceId = source.id;
  urls = await Promise.all([startInstance(), startInstance()]);
});

afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  await stopQueue();
});

it('stores one alert, one group, and counts every post, when both instances receive it at once', async () => {
  const body = JSON.stringify({
    version: '4',
    groupKey: '{}:{alertname="SameMoment"}',
    status: 'firing',
    alerts: [
      { status: 'firing', labels: { alertname: 'SameMoment', instance: 'a' }, annotations: { summary: 'Same moment' }, startsAt: '2026-11-30T10:00:00Z', endsAt: '0001-01-01T00:00:00Z', fingerprint: 'f00dfeedf00dfeed' },
      { status: 'firing', labels: { alertname: 'SameMoment', instance: 'b' }, annotations: { summary: 'Same moment' }, startsAt: '2026-11-30T10:00:00Z', endsAt: '0001-01-01T00:00:00Z', fingerprint: 'beefbeefbeefbeef' },
    ],
  });
  const posts = 40;
  const answers = await Promise.all(
    Array.from({ length: posts }, (_, i) =>
      fetch(`${urls[i % 2]}/api/v1/alerts/ingest/alertmanager`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body }).then(async (response) => ({
        status: response.status,
        body: (await response.json()) as { alerts: { created: boolean }[] },
      })),
    ),
  );
  expect(answers.map((answer) => answer.status)).toEqual(Array(posts).fill(202));
  // Exactly one post created each alert; every other one was a repeat.
  expect(answers.flatMap((answer) => answer.body.alerts).filter((alert) => alert.created)).toHaveLength(2);
  const alerts = await db.alert.findMany({ where: { sourceId }, orderBy: { fingerprint: 'asc' } });
  expect(alerts.map((alert) => [alert.fingerprint, alert.count])).toEqual([
    ['beefbeefbeefbeef', posts],
    ['f00dfeedf00dfeed', posts],
  ]);
  expect(await db.alertGroup.count({ where: { sourceId } })).toBe(1);
  // One routing job waiting for the group, however many posts touched it.
  expect(await db.alertDispatch.count({ where: { group: { sourceId } } })).toBe(1);
});
