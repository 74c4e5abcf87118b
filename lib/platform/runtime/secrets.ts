// Secrets of an embedded installation, generated on first start and kept in .data/secrets.json
// (mode 0600) so sessions, encrypted values and server actions survive restarts.
import 'server-only';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export type InstallationSecrets = {
  authSecret: string;
  serverActionsKey: string;
  databasePassword: string;
  encryptionKey: string;
};

function generate(): InstallationSecrets {
  return {
    authSecret: randomBytes(32).toString('base64url'),
    // Next.js wants a base64 AES-256 key.
    serverActionsKey: randomBytes(32).toString('base64'),
    databasePassword: randomBytes(18).toString('base64url'),
    encryptionKey: randomBytes(32).toString('base64'),
  };
}

export async function loadOrCreateSecrets(dataDir: string): Promise<InstallationSecrets> {
  const file = path.join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const stored = JSON.parse(await readFile(file, 'utf8')) as Partial<InstallationSecrets>;
    const complete = { ...generate(), ...stored };
    // Secrets added by a later version are generated once and kept.
    if (Object.keys(stored).length !== Object.keys(complete).length) await writeFile(file, JSON.stringify(complete, null, 2), { mode: 0o600 });
    return complete;
  }
  await mkdir(dataDir, { recursive: true });
  const secrets = generate();
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
