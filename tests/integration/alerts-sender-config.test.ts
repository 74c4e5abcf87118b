// The copy-paste configuration Sitrep shows for each sender works as pasted: Alertmanager's own
// `amtool check-config` accepts the receivers, and every curl example, run by a shell against
// the ingest routes over real HTTP with a real token, is answered 202 and stores its alert.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { senderSnippets } from '@/lib/alerts/sender-config';
import { createSource } from '@/lib/alerts/service';
import { db } from '@/lib/platform/db';
import { stopQueue } from '@/lib/platform/delivery/queue';
import { createUser } from '@/lib/users/service';
import { startIngestServer, type IngestServer } from '../support/ingest-server';

const run = promisify(execFile);
const amtool = process.env.AMTOOL_BIN || '/usr/bin/amtool';
const kinds = ['alertmanager', 'grafana', 'pagerduty', 'generic'] as const;

let server: IngestServer;
let dir: string;
const tokens = new Map<string, { id: string; token: string }>();

beforeAll(async () => {
  const admin = await createUser({ email: `config-${Date.now()}@example.com`, name: 'Config Admin', role: 'admin' }, { actor: null });
  const by = { actor: { id: admin.id, email: admin.email, name: admin.name, role: admin.role } };
  for (const kind of kinds) {
    const source = await createSource({ name: `Config ${kind} ${Date.now()}`, kind }, by);
    tokens.set(kind, { id: source.id, token: source.token });
  }
  server = await startIngestServer();
  dir = await mkdtemp(path.join(os.tmpdir(), 'sitrep-sender-config-'));
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
  await stopQueue();
});

describe.skipIf(!existsSync(amtool))('Alertmanager configuration', () => {
  it.each([
    ['alertmanager', 0],
    ['pagerduty', 1],
  ] as const)('amtool accepts the %s receiver', async (kind, index) => {
    const snippet = senderSnippets(kind, 'https://sitrep.example.com', 'sitrep_alerts_"quoted" token')[index]!;
    const file = path.join(dir, `${kind}.yml`);
    await writeFile(file, `route:\n  receiver: sitrep\n${snippet.text}\n`);
    const { stdout } = await run(amtool, ['check-config', file]);
    expect(stdout).toMatch(/SUCCESS/);
    expect(stdout).toMatch(/1 receivers/);
  });
});

describe('curl examples', () => {
  it.each(kinds)('the %s example stores an alert', async (kind) => {
    const { id, token } = tokens.get(kind)!;
    const example = senderSnippets(kind, server.url, token).find((snippet) => snippet.language === 'shell')!;
    const { stdout } = await run('sh', ['-c', `${example.text} -w '\\n%{http_code}'`]);
    expect(stdout.trim().split('\n').at(-1)).toBe('202');
    expect(await db.alert.count({ where: { sourceId: id } })).toBe(1);
  });
});
