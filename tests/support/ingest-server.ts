// Sitrep's alert ingest routes behind a plain Node HTTP server, for tests that need real HTTP
// without building the app: a real Alertmanager posts to it, and two of them in separate processes
// are two instances on one database. Run as a script, it prints `listening <port>` once ready.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

export type IngestServer = { url: string; close(): Promise<void> };

async function handlers(): Promise<Record<string, Handler>> {
  const [alertmanager, grafana, generic, pagerduty] = await Promise.all([
    import('@/app/api/v1/alerts/ingest/alertmanager/route'),
    import('@/app/api/v1/alerts/ingest/grafana/route'),
    import('@/app/api/v1/alerts/ingest/generic/route'),
    import('@/app/api/v1/alerts/ingest/pagerduty/route'),
  ]);
  return {
    '/api/v1/alerts/ingest/alertmanager': alertmanager.POST,
    '/api/v1/alerts/ingest/grafana': grafana.POST,
    '/api/v1/alerts/ingest/generic': generic.POST,
    '/api/v1/alerts/ingest/pagerduty': pagerduty.POST,
  };
}

export async function startIngestServer(port = 0): Promise<IngestServer> {
  const routes = await handlers();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const handler = req.method === 'POST' ? routes[url.pathname] : undefined;
    if (!handler) {
      res.writeHead(404).end();
      return;
    }
    // The body is streamed into the Request, so the route's own size limit applies as in Next.
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        req.on('data', (chunk: Buffer) => controller.enqueue(new Uint8Array(chunk)));
        req.on('end', () => controller.close());
        req.on('error', (error) => controller.error(error));
      },
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
    const request = new Request(`http://127.0.0.1${req.url}`, { method: 'POST', headers, body, duplex: 'half' } as RequestInit);
    handler(request, { params: Promise.resolve({}) })
      .then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
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
