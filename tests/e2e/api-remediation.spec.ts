// Remediation through the API against the production build: the worker runs inside the web
// server (instrumentation.ts) and delivers to a receiver on this machine.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { Webhook } from 'standardwebhooks';
import { ADMIN, cliToken } from './support';

test('define an action, fire it for an incident, and watch the delivery succeed', async ({ request }) => {
  test.setTimeout(90_000);
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(received.length === 1 ? 503 : 200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '::', resolve));
  const port = (receiver.address() as AddressInfo).port;
  const headers = { authorization: `Bearer ${cliToken(ADMIN.email)}` };
  try {
    const hostile = await request.post('/api/v1/remediation-actions', { headers, data: { name: 'Metadata', url: 'http://169.254.169.254/latest' } });
    expect(hostile.status()).toBe(422);
    expect((await hostile.json()).detail).toMatch(/169\.254\.169\.254/);

    const name = `Scale workers ${Date.now()}`;
    const created = await request.post('/api/v1/remediation-actions', {
      headers,
      data: { name, url: `http://localhost:${port}/scale`, headers: { 'X-Api-Key': 'receiver-secret' }, requiresConfirmation: true, maxAttempts: 3 },
    });
    expect(created.status()).toBe(201);
    const action = await created.json();
    expect(action.signingSecret).toMatch(/^whsec_/);
    const listed = await (await request.get('/api/v1/remediation-actions', { headers })).json();
    expect(JSON.stringify(listed)).not.toContain('receiver-secret');
    expect(JSON.stringify(listed)).not.toContain(action.signingSecret);

    const incident = await (await request.post('/api/v1/incidents', { headers, data: { title: 'Queue backlog', severity: 'SEV3' } })).json();
    const unconfirmed = await request.post(`/api/v1/incidents/${incident.number}/remediations`, { headers, data: { actionId: action.id } });
    expect(unconfirmed.status()).toBe(409);
    const fired = await request.post(`/api/v1/incidents/${incident.number}/remediations`, { headers, data: { actionId: action.id, confirm: true } });
    expect(fired.status()).toBe(202);
    const delivery = await fired.json();
    expect(delivery).toMatchObject({ status: 'pending', actionId: action.id, incident: { number: incident.number } });

    await expect
      .poll(async () => (await (await request.get(`/api/v1/deliveries/${delivery.id}`, { headers })).json()).status, { timeout: 30_000 })
      .toBe('succeeded');
    const done = await (await request.get(`/api/v1/deliveries/${delivery.id}`, { headers })).json();
    expect(done.attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([503, 200]);
    expect(received.map((r) => r.headers['webhook-id'])).toEqual([delivery.id, delivery.id]);
    expect(received[0]!.headers['x-api-key']).toBe('receiver-secret');
    new Webhook(action.signingSecret).verify(received[1]!.body, received[1]!.headers as Record<string, string>);

    const timeline = await (await request.get(`/api/v1/incidents/${incident.number}/timeline`, { headers })).json();
    const remediation = timeline.items.filter((e: { kind: string }) => e.kind === 'remediation').map((e: { body: string }) => e.body);
    expect(remediation[0]).toBe(`Alex Rivera fired “${name}”.`);
    expect(remediation.at(-1)).toBe(`“${name}” succeeded.`);
  } finally {
    receiver.close();
  }
});
