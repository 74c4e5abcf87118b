// Sitrep's HTTP server: Next's request handler behind the request edge (platform/http/edge.ts),
// which needs what `next start` keeps to itself: the socket (for the client's address) and the
// moment before Next reads anything (for body limits, and to keep floods of unverified requests
// from taking the event loop that signed-in people need). `npm start`, `npm run dev`, the
// survival tests and the benchmark all run this; plain `next start` would work without those
// protections.
import http from 'node:http';
import next from 'next';
import type { BlockList } from 'node:net';
import { createEdge } from '@/lib/platform/http/edge';
import { answerDirectly, type DirectRoute } from '@/lib/platform/runtime/direct';

export type ServeOptions = {
  dir: string;
  dev: boolean;
  port: number;
  hostname: string;
  trustedProxies: BlockList;
  headers: Record<string, string>;
  bodyLimit(method: string, pathname: string, isServerAction: boolean): number;
  /**
   * API routes this server answers itself, beside Next (direct.ts), after the edge's checks.
   * Loaded once Next is prepared: route modules reach Next's request storage, which Next sets up.
   */
  direct?: () => Promise<readonly DirectRoute[]>;
};

export async function serve(options: ServeOptions): Promise<http.Server> {
  const app = next({ dev: options.dev, dir: options.dir, hostname: options.hostname, port: options.port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const direct = (await options.direct?.()) ?? [];
  const server = http.createServer(createEdge(options, (req, res) => answerDirectly(direct, req, res) || handle(req, res)));
  // Long enough for a proxy in front to reuse connections; Node's 5 s default is shorter than most proxies' idle timeout.
  server.keepAliveTimeout = 65_000;
  if (options.dev) server.on('upgrade', (req, socket, head) => void app.getUpgradeHandler()(req, socket, head));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.hostname, () => resolve());
  });
  const stop = () => {
    server.close();
    server.closeIdleConnections();
    void app.close().finally(() => process.exit(0));
    // Open live streams would keep close() waiting; they reconnect to another instance.
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return server;
}
