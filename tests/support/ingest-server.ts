// Sitrep's alert ingest routes behind a plain Node HTTP server, for tests that need real HTTP
// without building the app: a real Alertmanager posts to it, and two of them in separate processes
// are two instances on one database. Run as a script, it prints `listening <port>` once ready.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { ingestAlertmanagerOperation, ingestGenericOperation, ingestGrafanaOperation, ingestPagerDutyOperation } from '@/lib/alerts/operations';
import { answerDirectly, directRoutes, type DirectRoute } from '@/lib/platform/runtime/direct';

export type IngestServer = { url: string; close(): Promise<void> };

async function routes(): Promise<DirectRoute[]> {
  const [alertmanager, grafana, generic, pagerduty] = await Promise.all([
    import('@/app/api/v1/alerts/ingest/alertmanager/route'),
    import('@/app/api/v1/alerts/ingest/grafana/route'),
    import('@/app/api/v1/alerts/ingest/generic/route'),
    import('@/app/api/v1/alerts/ingest/pagerduty/route'),
  ]);
  return directRoutes([
    [ingestAlertmanagerOperation, alertmanager.POST],
    [ingestGrafanaOperation, grafana.POST],
    [ingestGenericOperation, generic.POST],
    [ingestPagerDutyOperation, pagerduty.POST],
  ]);
}

export async function startIngestServer(port = 0): Promise<IngestServer> {
  const direct = await routes();
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
