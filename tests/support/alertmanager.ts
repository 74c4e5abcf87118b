// A real Prometheus Alertmanager for tests (Debian's `prometheus-alertmanager`; .ci/run installs
// it): started on a free loopback port with a generated configuration whose receiver sends to a
// given URL with a bearer token, fed through its own API (`POST /api/v2/alerts`), stopped cleanly.
// And a local HTTP receiver that records what arrives, so tests wait for a delivery by event,
// never by sleeping. Self-contained (Node built-ins only) so Vitest, Playwright and scripts can
// all use it.
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const DEFAULT_BINARY = '/usr/bin/prometheus-alertmanager';

const candidateBinary = () => process.env.ALERTMANAGER_BIN || DEFAULT_BINARY;

/** The Alertmanager binary (ALERTMANAGER_BIN, else Debian's path), or null when it is not installed. */
export function alertmanagerBinary(): string | null {
  return existsSync(candidateBinary()) ? candidateBinary() : null;
}

/** Why tests that need Alertmanager are skipped, and how to fix that. */
export function alertmanagerMissing(): string {
  return `Alertmanager is not installed (no ${candidateBinary()}); install it with \`apt-get install -y --no-install-recommends prometheus-alertmanager\` (.ci/run does) or set ALERTMANAGER_BIN.`;
}

/** An alert as Alertmanager's API v2 takes it. */
export type PostableAlert = {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
};

export type AlertmanagerOptions = {
  /** Where the webhook receiver sends (webhook_configs.url). */
  webhookUrl: string;
  /** Sent as `Authorization: Bearer <token>` (http_config.authorization.credentials). */
  bearerToken: string;
  /** Also send each group as a PagerDuty Events API v2 event to this URL (pagerduty_configs.url). */
  pagerDutyUrl?: string;
  /** The PagerDuty routing_key (Sitrep: the source's token); defaults to bearerToken. */
  routingKey?: string;
  groupBy?: string[];
  /** Go durations; short by default so a test sees a notification about a second after posting. */
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
};

export type RunningAlertmanager = {
  url: string;
  /** POST /api/v2/alerts. */
  postAlerts: (alerts: PostableAlert[]) => Promise<void>;
  /** Ends the alerts now (same labels, endsAt = now), which makes Alertmanager send them as resolved. */
  resolveAlerts: (alerts: PostableAlert[]) => Promise<void>;
  /** What it logged so far, for failure messages. */
  log: () => string;
  stop: () => Promise<void>;
};

/** A TCP port on 127.0.0.1 that is free right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The configuration, written as JSON (which is YAML, so no YAML library and no quoting to get
 * wrong). One receiver, reached by every alert, with the webhook (and optionally PagerDuty)
 * integration, resolved notifications on.
 */
export function alertmanagerConfig(options: AlertmanagerOptions): object {
  const receiver: Record<string, unknown> = {
    name: 'sitrep',
    webhook_configs: [
      {
        url: options.webhookUrl,
        send_resolved: true,
        http_config: { authorization: { type: 'Bearer', credentials: options.bearerToken } },
      },
    ],
  };
  if (options.pagerDutyUrl) {
    receiver.pagerduty_configs = [{ url: options.pagerDutyUrl, routing_key: options.routingKey ?? options.bearerToken, send_resolved: true }];
  }
  return {
    route: {
      receiver: 'sitrep',
      group_by: options.groupBy ?? ['alertname'],
      group_wait: options.groupWait ?? '1s',
      group_interval: options.groupInterval ?? '1s',
      repeat_interval: options.repeatInterval ?? '1h',
    },
    receivers: [receiver],
  };
}

export async function startAlertmanager(options: AlertmanagerOptions): Promise<RunningAlertmanager> {
  const binary = alertmanagerBinary();
  if (!binary) throw new Error(alertmanagerMissing());
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sitrep-alertmanager-'));
  const configFile = path.join(dir, 'alertmanager.yml');
  await writeFile(configFile, JSON.stringify(alertmanagerConfig(options), null, 2));

  // The port is free when probed but could be taken before Alertmanager binds it: try again then.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      const child = await launch(binary, configFile, dir, port);
      return handle(child, port, dir);
    } catch (error) {
      lastError = error;
      if (!/address already in use/i.test(String(error))) break;
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError;
}

type Launched = { process: ChildProcess; output: string[] };

/** Starts the binary and resolves once it logs that its HTTP listener is open. */
function launch(binary: string, configFile: string, dir: string, port: number): Promise<Launched> {
  const child = spawn(
    binary,
    [
      `--config.file=${configFile}`,
      `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // No gossip cluster: a lone instance needs none, and it would open another port.
      '--cluster.listen-address=',
      '--log.level=info',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    // Only a failsafe for a wedged binary: readiness itself is the log line below.
    const failsafe = setTimeout(() => fail(new Error(`Alertmanager did not start within 60 s:\n${output.join('')}`)), 60_000);
    const fail = (error: Error) => {
      clearTimeout(failsafe);
      child.kill('SIGKILL');
      reject(error);
    };
    const onOutput = (chunk: Buffer) => {
      output.push(chunk.toString());
      // Logged by the exporter-toolkit once net.Listen succeeded; connections made after it queue
      // on the listening socket even if Serve has not started yet.
      if (/msg="Listening on"/.test(output.join(''))) {
        clearTimeout(failsafe);
        child.stdout!.off('data', onOutput);
        child.stderr!.off('data', onOutput);
        child.stdout!.on('data', (more: Buffer) => output.push(more.toString()));
        child.stderr!.on('data', (more: Buffer) => output.push(more.toString()));
        child.off('exit', onExit);
        resolve({ process: child, output });
      }
    };
    const onExit = (code: number | null, signal: string | null) => {
      clearTimeout(failsafe);
      reject(new Error(`Alertmanager exited (${signal ?? code}) before listening:\n${output.join('')}`));
    };
    child.stdout!.on('data', onOutput);
    child.stderr!.on('data', onOutput);
    child.once('exit', onExit);
    child.once('error', fail);
  });
}

function handle({ process: child, output }: Launched, port: number, dir: string): RunningAlertmanager {
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

  const postAlerts = async (alerts: PostableAlert[]) => {
    const response = await fetch(`${url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
    if (!response.ok) throw new Error(`Alertmanager refused the alerts (${response.status}): ${await response.text()}`);
  };

  return {
    url,
    postAlerts,
    resolveAlerts: (alerts) => postAlerts(alerts.map((alert) => ({ ...alert, endsAt: new Date().toISOString() }))),
    log: () => output.join(''),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const failsafe = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(failsafe);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// ---- The receiving end -------------------------------------------------------------------------

export type Delivery = { path: string; headers: http.IncomingHttpHeaders; body: unknown; receivedAt: Date };

export type AlertReceiver = {
  url: string;
  deliveries: Delivery[];
  /**
   * Resolves with the first delivery (already received or still to come) that satisfies the
   * test. Event-driven; `timeoutMs` is only a failsafe so a broken run fails instead of hanging.
   */
  waitFor: (test: (delivery: Delivery) => boolean, options?: { timeoutMs?: number; description?: string }) => Promise<Delivery>;
  close: () => Promise<void>;
};

/** A local HTTP server that answers 200 to every POST and records it. */
export async function startAlertReceiver(): Promise<AlertReceiver> {
  const deliveries: Delivery[] = [];
  const arrivals = new EventEmitter();
  arrivals.setMaxListeners(100);
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Recorded as text; a test expecting JSON will say so.
      }
      const delivery = { path: request.url ?? '/', headers: request.headers, body, receivedAt: new Date() };
      deliveries.push(delivery);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"success"}');
      arrivals.emit('delivery', delivery);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;

  const waitFor: AlertReceiver['waitFor'] = (test, { timeoutMs = 30_000, description = 'the expected delivery' } = {}) => {
    const already = deliveries.find(test);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const onDelivery = (delivery: Delivery) => {
        if (!test(delivery)) return;
        clearTimeout(failsafe);
        arrivals.off('delivery', onDelivery);
        resolve(delivery);
      };
      const failsafe = setTimeout(() => {
        arrivals.off('delivery', onDelivery);
        reject(new Error(`No ${description} within ${timeoutMs / 1000} s; received ${deliveries.length}:\n${JSON.stringify(deliveries.map((d) => d.body), null, 2).slice(0, 4_000)}`));
      }, timeoutMs);
      arrivals.on('delivery', onDelivery);
    });
  };

  return {
    url: `http://127.0.0.1:${port}`,
    deliveries,
    waitFor,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
