// Sitrep's alert ingest routes behind a plain Node HTTP server, for tests that need real HTTP
// without building the app: a real Alertmanager posts to it, and two of them in separate processes
// are two instances on one database. Run as a script, it prints `listening <port>` once ready.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { answerDirectly } from '@/lib/platform/runtime/direct';
import { intakeRoutes } from '../../scripts/support/direct-routes';

export type IngestServer = { url: string; close(): Promise<void> };

export async function startIngestServer(port = 0): Promise<IngestServer> {
  const direct = await intakeRoutes();
  // The routes are called as the web server calls them (lib/platform/runtime/direct.ts), without
  // its request edge in front.
  const server = http.createServer((req, res) => {
    const answered = answerDirectly(direct, req, res);
    if (answered === false) res.writeHead(404).end();
    else answered.catch((error: unknown) => (res.headersSent ? res.destroy() : res.writeHead(500).end(String(error))));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const server = await startIngestServer();
  console.log(`listening ${new URL(server.url).port}`);
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
}
