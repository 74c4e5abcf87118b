// Remediation fire: click-to-202 (the API answer) and 202-to-request-at-the-receiver (the queue
// and the worker), beside a direct HTTP POST from here to the same receiver.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { api, sleep, waitFor, type App } from '../support/instances';
import { summarize, type Summary } from './stats';

export async function measureRemediation(options: { app: App; token: string; incident: number; fires: number }): Promise<{ fire: Summary; delivery: Summary; direct: Summary }> {
  const { app, token, incident, fires } = options;
  const arrivals = new Map<string, number>();
  const receiver = http.createServer((req, res) => {
    arrivals.set(String(req.headers['webhook-id'] ?? req.headers['x-probe']), performance.now());
    req.resume().on('end', () => res.writeHead(200).end('ok'));
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://localhost:${(receiver.address() as AddressInfo).port}/hook`;
  try {
    const action = await api<{ id: string }>(app, token, 'POST', '/api/v1/remediation-actions', { name: 'Bench: restart workers', url });
    if (action.status !== 201) throw new Error(`Creating the action answered ${action.status}: ${JSON.stringify(action.body)}`);
    const fire: number[] = [];
    const delivery: number[] = [];
    for (let i = 0; i < fires; i++) {
      const started = performance.now();
      const fired = await api<{ id: string }>(app, token, 'POST', `/api/v1/incidents/${incident}/remediations`, { actionId: action.body.id });
      const acceptedAt = performance.now();
      if (fired.status !== 202) throw new Error(`Firing answered ${fired.status}: ${JSON.stringify(fired.body)}`);
      fire.push(acceptedAt - started);
      await waitFor('the webhook at the receiver', () => arrivals.has(fired.body.id), 10_000);
      delivery.push(arrivals.get(fired.body.id)! - acceptedAt);
      await sleep(50);
    }
    const direct: number[] = [];
    for (let i = 0; i < fires; i++) {
      const started = performance.now();
      await fetch(url, { method: 'POST', headers: { 'x-probe': `direct-${i}`, 'content-type': 'application/json' }, body: '{}' }).then((r) => r.text());
      direct.push(arrivals.get(`direct-${i}`)! - started);
    }
    return { fire: summarize(fire), delivery: summarize(delivery), direct: summarize(direct) };
  } finally {
    receiver.closeAllConnections();
    receiver.close();
  }
}
