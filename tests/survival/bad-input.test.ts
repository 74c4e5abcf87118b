// Survival: hostile input. fast-check throws random and hostile payloads at every operation in
// lib/catalogue.ts (so a new route is covered without touching this file) over real HTTP, on a
// `next start` with a PostgreSQL of its own, and at the Markdown runbook importer. Every answer
// must be a success or a 4xx within REQUEST_TIMEOUT_MS: never a 5xx, never a hang. And a 4xx must
// write nothing: the database's fingerprint (every row's tuple version in every table) is the same
// before and after it, so a request that fails half-way can't leave half its rows behind.
//
// The seed is printed at the start; BAD_INPUT_SEED=<seed> replays a run (on the same code).
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import pg from 'pg';
import { z } from 'zod';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { operations } from '@/lib/catalogue';
import type { Operation } from '@/lib/platform/http/operation';
import { DomainError } from '@/lib/platform/errors';
import { importRunbookMarkdown } from '@/lib/runbooks/import';
import { importedToInput } from '@/lib/runbooks/import-schema';
import { api, createUserWithToken, startApp, startPostgres, type App, type Postgres } from '../../scripts/support/instances';

// BAD_INPUT_RUNS=200 for a longer hunt; the default keeps the file near a minute.
const RUNS_PER_OPERATION = Number(process.env.BAD_INPUT_RUNS ?? 20);
const RUNS_PER_STREAM = 4;
const RUNS_IMPORT_PURE = 150;
const RUNS_IMPORT_HTTP = 30;
const REQUEST_TIMEOUT_MS = 10_000;
/** BAD_INPUT_VERBOSE=1 prints every request's status (and a 4xx's answer): what the fuzzer reaches. */
const VERBOSE = process.env.BAD_INPUT_VERBOSE === '1';
const SEED = Number(process.env.BAD_INPUT_SEED ?? Math.floor(Math.random() * 2 ** 31));

const ADMIN = 'fuzz-admin@example.com';
const RESPONDER = 'fuzz-responder@example.com';
const VICTIM = 'fuzz-victim@example.com';

let postgres: Postgres;
let app: App;
let client: pg.Client;
let adminToken: string;
let viewerToken: string;
let fingerprintSql: string;
/** Real values for path parameters and body fields, by name (see realValue). */
const fixtures: Record<string, string | number> = {};

// ---- the database fingerprint ----

/**
 * Per table: the row count and a hash of every row's (ctid, xmin). Any insert, update or delete
 * that commits changes it; a rolled-back transaction leaves no trace. It never reads the rows'
 * contents, so it stays cheap however big the fuzzed rows are. Left out: `_prisma_migrations`,
 * and pg-boss's own schema (not `public`). api_tokens.last_used_at is written by reads (once a
 * minute per token), so that table is hashed by content without that column.
 */
async function buildFingerprintSql(): Promise<string> {
  const { rows } = await client.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations' ORDER BY table_name`,
  );
  expect(rows.length).toBeGreaterThan(10);
  return rows
    .map(({ table_name: table }) => {
      const quoted = `"${table.replace(/"/g, '""')}"`;
      const rowKey = table === 'api_tokens' ? `md5((to_jsonb(x) - 'last_used_at')::text)` : `x.ctid::text || ':' || x.xmin::text`;
      return `SELECT '${table}' AS t, count(*)::int AS n, md5(coalesce(string_agg(${rowKey}, ',' ORDER BY ${rowKey}), '')) AS h FROM ${quoted} x`;
    })
    .join('\nUNION ALL\n');
}

async function fingerprint(): Promise<Map<string, string>> {
  const { rows } = await client.query<{ t: string; n: number; h: string }>(fingerprintSql);
  return new Map(rows.map((row) => [row.t, `${row.n}:${row.h}`]));
}

function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after.keys()].filter((table) => before.get(table) !== after.get(table)).map((table) => `${table} (${before.get(table)} → ${after.get(table)})`);
}

// ---- hostile values ----

const truncate = (text: string, max = 600) => (text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);

/** `"@@raw:<json>@@"` in a serialised body is replaced by <json>: numbers JSON.stringify can't write. */
const raw = (jsonText: string) => `@@raw:${jsonText}@@`;
/** `@@n@@` in a serialised body becomes a fresh number, so names an example sets are not taken yet. */
let serial = 0;
const serialise = (value: unknown): string | undefined =>
  JSON.stringify(value)
    ?.replace(/"@@raw:([^@]*)@@"/g, '$1')
    .replace(/@@n@@/g, () => String(++serial));

const hostileStrings = [
  'a'.repeat(100_000),
  'x\u0000y',
  '\u0000',
  'Title with a NUL \u0000 inside',
  'Lone surrogate \ud800 here',
  '\udfff',
  '\u202Eevil\u202C right-to-left',
  'مرحبا بالعالم',
  '🚨🔥👩‍👩‍👧‍👦 emoji',
  '\ufeffBOM',
  'Z̸̢̛a̷l̶g̵o̴',
  "'; DROP TABLE incidents; --",
  "' OR '1'='1",
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '{{incident.title}} {{#each x}}{{/each}} {{{',
  '${process.env.DATABASE_URL}',
  '../../etc/passwd',
  '%00%ff',
  '%s%n%x',
  'NaN',
  'Infinity',
  '-0',
  '1e308',
  '9007199254740993',
  '2147483648',
  '2024-13-45',
  '2024-02-30T25:61:00Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '+275760-09-13T00:00:00.000Z',
  '2024-01-01T00:00:00+25:00',
  '01/02/2024',
  'yesterday',
  '',
  ' ',
  '\t\n\r\v\f',
  'null',
  'true',
  '__proto__',
  'constructor',
  'SEV0',
  'SEV99999999999999999999',
  'http://169.254.169.254/latest/meta-data',
  'http://[::1]:5432/',
  'http://localhost:9/hook',
  'javascript:alert(1)',
  'file:///etc/passwd',
  'not-an-email@',
  'a@b',
  `${'a'.repeat(300)}@example.com`,
  ADMIN,
  RESPONDER,
];

const hostileNumbers = [1e308, -1e308, -0, 0, -1, 1.5, 2 ** 31, 2 ** 31 - 1, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, raw('1e400'), raw('-1e400'), raw('123456789012345678901234567890'), raw('1E-400'), raw('-0.0')];

const hostileStructures: unknown[] = [
  null,
  true,
  false,
  [],
  {},
  [null],
  [[[[[[[[[[]]]]]]]]]],
  { __proto__: { admin: true } },
  { constructor: { prototype: { admin: true } } },
  raw('['.repeat(3_000) + ']'.repeat(3_000)),
  raw('['.repeat(100_000) + ']'.repeat(100_000)),
  raw('{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)),
  raw(`{${Array.from({ length: 5_000 }, (_, i) => `"k${i}":${i}`).join(',')}}`),
  Array.from({ length: 10_000 }, (_, i) => i),
  Array.from({ length: 500 }, () => 'x'.repeat(200)),
  1_700_000_000_000,
];

const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...hostileStrings) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 300 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('Fuzzed title ', 'fuzz', RESPONDER, 'SEV2'), fc.constantFrom('\u0000', '\ud800', '\u202E', '🚨', "'", '"', '\\', '\n')).map(([a, b]) => `${a}${b}${a}`) },
);

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.constantFrom(...hostileNumbers) },
  { weight: 2, arbitrary: fc.constantFrom(...hostileStructures) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 5 }) },
);

// ---- valid examples from the operation's own schema ----

type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
};

const patternCandidates = () => [new Date().toISOString(), 'X-Fuzz', 'SEV2', '#336699', '2030-01-01', 'fuzz', 'fuzz-key', RESPONDER];

/** Real ids for body fields that name another resource, so a near-valid body reaches the service. */
function realValue(name: string, before?: string): string | number | undefined {
  const byContext: Record<string, string> = {
    users: 'victimUserId',
    tokens: 'victimTokenId',
    timeline: 'noteId',
    'remediation-actions': 'actionId',
    deliveries: 'deliveryId',
    runbooks: 'runbookId',
    'notification-channels': 'channelId',
    'action-items': 'actionItemId',
    'review-templates': 'reviewTemplateId',
    'update-templates': 'updateTemplateKey',
    incidents: 'number',
    checklists: 'checklistId',
    items: 'itemId',
    smes: 'smeEmail',
    sections: 'sectionKey',
    roles: 'role',
  };
  const byName: Record<string, string> = {
    number: 'number',
    incidentNumber: 'number',
    runbookId: 'runbookId',
    actionId: 'actionId',
    remediationActionId: 'actionId',
    checklistId: 'checklistId',
    checklistItemId: 'itemId',
    itemId: 'itemId',
    template: 'updateTemplateKey',
  };
  const key = (before && byContext[before]) ?? byName[name];
  if (key) return fixtures[key];
  if (/email$/i.test(name)) return RESPONDER;
  return undefined;
}

function exampleOf(schema: JsonSchema, root: JsonSchema, name = ''): unknown {
  if (schema.$ref) {
    const target = schema.$ref.startsWith('#/$defs/') ? root.$defs?.[schema.$ref.slice('#/$defs/'.length)] : undefined;
    return target ? exampleOf(target, root, name) : 'fuzz';
  }
  const real = realValue(name);
  if (real !== undefined) return real;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  const options = schema.anyOf ?? schema.oneOf;
  if (options?.length) return exampleOf(options.find((option) => option.type !== 'null') ?? options[0]!, root, name);
  if (schema.allOf?.length) return exampleOf(schema.allOf[0]!, root, name);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(schema.properties ?? {})) result[key] = exampleOf(property, root, key);
      return result;
    }
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => exampleOf(schema.items ?? {}, root, name));
    case 'integer':
    case 'number':
      return Math.min(Math.max(schema.minimum ?? 1, 1), schema.maximum ?? Number.MAX_SAFE_INTEGER);
    case 'boolean':
      // Turning the fixtures' action or channel off would make every later request about them a 409.
      return name === 'confirm' || name === 'enabled';
    case 'string': {
      if (schema.format === 'date-time') return new Date().toISOString();
      if (schema.format === 'email') return RESPONDER;
      if (schema.format === 'uuid') return randomUUID();
      if (schema.format === 'uri' || /url|target/i.test(name)) return 'http://localhost:9/fuzz';
      if (name === 'bodyTemplate') return '{"incident": "{{incident.key}}", "note": "fuzz"}';
      if (name === 'markdown') return '# Fuzzed runbook\n\n## Checks\n\n1. Look at the dashboard\n2. Restart the worker\n';
      if (schema.pattern) return patternCandidates().find((candidate) => new RegExp(schema.pattern!).test(candidate)) ?? 'fuzz';
      return `Fuzzed ${name || 'value'}${name === 'name' ? ' @@n@@' : ''}`.padEnd(schema.minLength ?? 0, '.');
    }
    default:
      return 'fuzz';
  }
}

/** The example with some leaves (or whole subtrees) swapped for hostile values, some keys dropped. */
function nearValid(value: unknown): fc.Arbitrary<unknown> {
  if (Array.isArray(value)) {
    return fc.oneof({ weight: 4, arbitrary: fc.tuple(...value.map(nearValid)) }, { weight: 1, arbitrary: hostileValue });
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    const record = fc
      .tuple(...entries.map(([, v]) => fc.oneof({ weight: 12, arbitrary: nearValid(v) }, { weight: 1, arbitrary: fc.constant(DROP) })))
      .chain((values) =>
        fc.oneof(
          { weight: 5, arbitrary: fc.constant({}) },
          { weight: 1, arbitrary: fc.dictionary(fc.oneof(hostileString.filter((key) => key.length < 200), fc.constantFrom('__proto__', 'constructor', 'id', 'version')), hostileValue, { maxKeys: 3 }) },
        ).map((extra) => ({ ...Object.fromEntries(entries.map(([key], i) => [key, values[i]]).filter(([, v]) => v !== DROP)), ...extra })),
      );
    return fc.oneof({ weight: 6, arbitrary: record }, { weight: 1, arbitrary: hostileValue });
  }
  return fc.oneof({ weight: 5, arbitrary: fc.constant(value) }, { weight: 1, arbitrary: hostileValue });
}
const DROP = Symbol('drop');

function jsonSchemaOf(schema: z.ZodType | undefined): JsonSchema | null {
  return schema ? (z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema) : null;
}

// ---- requests ----

type FuzzRequest = {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
};

const describeRequest = (request: FuzzRequest) =>
  `${request.method} ${truncate(request.path, 300)} headers=${truncate(JSON.stringify(request.headers), 300)} body=${request.body === undefined ? '(none)' : truncate(request.body)}`;

// Well-formed percent-escapes only. A malformed one in a dynamic segment ('%', '%zz', '%C0%AF',
// '%ED%A0%80') makes Next itself answer a plain-text 500 while matching the route, before any
// Sitrep code runs (vercel/next.js#92527): nothing under app/api can answer it. No bare '..' or
// '%2e%2e' either: the URL parser resolves them, so the request leaves the API for a page.
const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      '99999999999999999999',
      '2147483648',
      '2147483647',
      '9007199254740993',
      '-1',
      '0',
      '1.5',
      '1e3',
      '0x10',
      'abc',
      'INC-1',
      '..%2F..%2Fetc%2Fpasswd',
      '.%2E%2Fx',
      '%00',
      'a%00b',
      '%25',
      '%25zz',
      '%E2%80%AE',
      '%F0%9F%9A%A8',
      '%EF%BF%BD',
      'null',
      'undefined',
      '00000000-0000-0000-0000-000000000000',
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
      'x'.repeat(3_000),
      '%20',
      "'%20OR%201=1--",
    ),
  },
  { weight: 1, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).map(encodeURIComponent) },
);

function pathArbitrary(path: string): fc.Arbitrary<string> {
  const parts = path.split('/').map((segment, i, all) => {
    const param = /^\{(.+)\}$/.exec(segment)?.[1];
    if (!param) return fc.constant(segment);
    const real = realValue(param, all[i - 1]);
    if (real === undefined) return hostileSegment;
    return fc.oneof({ weight: 3, arbitrary: fc.constant(encodeURIComponent(String(real))) }, { weight: 2, arbitrary: hostileSegment });
  });
  return fc.tuple(...parts).map((segments) => segments.join('/'));
}

const hostileQueryValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('1e308', '-0', 'NaN', '2147483648', '99999999999999999999', '0x10', ' 5 ', '5abc', '-1', '0', '1.5', 'true', 'open', 'SEV1', '') },
  { weight: 3, arbitrary: hostileString.filter((s) => s.length < 5_000) },
);

function queryArbitrary(schema: JsonSchema | null): fc.Arbitrary<string> {
  const known = Object.entries(schema?.properties ?? {}).map(([key, property]) => {
    const example = exampleOf(property, schema!, key);
    return fc.option(fc.tuple(fc.constant(key), fc.oneof(fc.constant(String(example)), hostileQueryValue)), { nil: undefined });
  });
  const extra = fc.array(fc.tuple(fc.oneof(fc.constantFrom('limit', 'cursor', 'q', '__proto__', 'after'), hostileString.filter((s) => s.length < 200)), hostileQueryValue), { maxLength: 2 });
  const encoded = fc.tuple(fc.tuple(...known), extra).map(([pairs, more]) => {
    const params = new URLSearchParams();
    for (const pair of [...pairs, ...more]) if (pair) params.append(pair[0], pair[1]);
    const text = params.toString();
    return text ? `?${text}` : '';
  });
  const rawQuery = fc.constantFrom('?%', '?a=%zz', '?limit=1&limit=2', '?q=%00', '?=&=&', `?q=${'x'.repeat(20_000)}`, '?cursor=%ED%A0%80', '?limit[]=1');
  return fc.oneof({ weight: 5, arbitrary: encoded }, { weight: 1, arbitrary: rawQuery });
}

const rawBody = fc.tuple(
  fc.oneof(
    fc.constantFrom('{', '{"title":', 'not json', '\u0000', 'null', '[]', '"string"', '1e400', '{"a":1}{"b":2}', '\ufeff{"title":"x"}', '<xml/>', 'title=x&severity=SEV1', '{"a":"\\ud800"}', '{"a":"\\u0000"}', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--'),
    fc.string({ unit: 'binary', maxLength: 500 }),
  ),
  fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=latin1', ''),
);

const ifMatch = fc.constantFrom('"1"', '"2"', '"0"', '*', 'W/"1"', '"99999999999"', '"abc"', '', ' "1" ', '"1", "2"', '"-1"');

function bodyArbitrary(op: Operation, schema: JsonSchema | null): fc.Arbitrary<{ body?: string; contentType?: string }> {
  const json = (value: fc.Arbitrary<unknown>) => value.map((v) => ({ body: serialise(v) ?? '', contentType: 'application/json' }));
  const variants: fc.WeightedArbitrary<{ body?: string; contentType?: string }>[] = [
    { weight: 1, arbitrary: json(fc.anything()) },
    { weight: 1, arbitrary: json(fc.object()) },
    { weight: 1, arbitrary: fc.json().map((body) => ({ body, contentType: 'application/json' })) },
    { weight: 1, arbitrary: rawBody.map(([body, contentType]) => ({ body, contentType })) },
  ];
  if (schema) {
    const example = exampleOf(schema, schema);
    variants.push({ weight: 8, arbitrary: json(nearValid(example)) }, { weight: 3, arbitrary: json(fc.constant(example)) });
  }
  if (!op.body) variants.push({ weight: 4, arbitrary: fc.constant({}) });
  return fc.oneof(...variants);
}

/** Mostly the admin; sometimes a viewer, a bad or malformed token, or none. */
const authorization = fc.oneof(
  { weight: 12, arbitrary: fc.constant('admin') },
  { weight: 1, arbitrary: fc.constant('viewer') },
  { weight: 1, arbitrary: fc.constantFrom('', 'Bearer', 'Bearer a b', 'Basic Zm9vOmJhcg==', `Bearer ${'x'.repeat(10_000)}`, 'Bearer sitrep_0000', 'Bearer \u00ff\u00fe') },
);

function requestArbitrary(op: Operation): fc.Arbitrary<FuzzRequest> {
  const body: fc.Arbitrary<{ body?: string; contentType?: string }> = op.method === 'GET' ? fc.constant({}) : bodyArbitrary(op, jsonSchemaOf(op.body));
  const headers = op.method === 'GET' ? fc.constant(undefined) : fc.option(ifMatch, { nil: undefined, freq: 2 });
  return fc.record({ path: pathArbitrary(op.path), query: queryArbitrary(jsonSchemaOf(op.query)), body, auth: authorization, ifMatch: headers }).map(({ path, query, body, auth, ifMatch }) => {
    const request: FuzzRequest = { method: op.method, path: `${path}${query}`, headers: {}, body: body.body };
    const token = auth === 'admin' ? `Bearer ${adminToken}` : auth === 'viewer' ? `Bearer ${viewerToken}` : auth;
    if (token) request.headers.authorization = token;
    if (body.contentType) request.headers['content-type'] = body.contentType;
    if (ifMatch !== undefined) request.headers['if-match'] = ifMatch;
    // fast-check prints counterexamples with this: keep 100 kB payloads out of the report.
    return Object.assign(request, { [fc.toStringMethod]: () => describeRequest(request) });
  });
}

async function send(request: FuzzRequest): Promise<{ status: number; text: string }> {
  let response: Response;
  try {
    response = await fetch(`${app.url}${request.path}`, { method: request.method, headers: request.headers, body: request.body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    return { status: response.status, text: await response.text() };
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') throw new Error(`No answer within ${REQUEST_TIMEOUT_MS} ms: ${describeRequest(request)}`);
    throw new Error(`The request failed (${(error as Error).message}; server down?): ${describeRequest(request)}\nServer output:\n${app.output().slice(-2_000)}`);
  }
}

/**
 * The fingerprint after the last request that changed nothing; null once a request may have
 * written (a success) or a test starts. Requests are sequential and the workers are off, so only
 * requests write, and the next request's "before" can be the previous one's "after".
 */
let unchangedSince: Map<string, string> | null = null;

/** Sends it and checks the contract: < 500, and a 4xx leaves every table as it was. */
async function checkRequest(request: FuzzRequest): Promise<void> {
  const before = unchangedSince ?? (await fingerprint());
  unchangedSince = null;
  const outputBefore = app.output().length;
  const { status, text } = await send(request);
  if (VERBOSE) console.log(`[bad-input] ${status} ${describeRequest(request).slice(0, 400)}${status >= 400 ? `\n  → ${truncate(text, 400)}` : ''}`);
  const serverLog = () => app.output().slice(outputBefore).slice(-2_000) || '(nothing)';
  if (status >= 500) throw new Error(`${describeRequest(request)}\n→ ${status} ${truncate(text)}\nServer output:\n${serverLog()}`);
  if (status >= 400) {
    const after = await fingerprint();
    const changed = changedTables(before, after);
    if (changed.length) throw new Error(`${describeRequest(request)}\n→ ${status} ${truncate(text)}\nbut it wrote to: ${changed.join(', ')}`);
    unchangedSince = after;
  }
}

// ---- fixtures ----

async function created<T extends Record<string, unknown>>(what: string, response: Promise<{ status: number; body: unknown }>): Promise<T> {
  const { status, body } = await response;
  if (status >= 300) throw new Error(`Creating the fixture ${what} answered ${status}: ${JSON.stringify(body).slice(0, 500)}`);
  return body as T;
}

async function createFixtures(): Promise<void> {
  const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => api(app, adminToken, method, path, body, headers);
  await created('responder', call('POST', '/api/v1/users', { email: RESPONDER, name: 'Fuzz Responder', role: 'responder' }));
  const viewer = await created<{ id: string }>('viewer', call('POST', '/api/v1/users', { email: 'fuzz-viewer@example.com', name: 'Fuzz Viewer', role: 'viewer' }));
  viewerToken = (await created<{ token: string }>('viewer token', call('POST', '/api/v1/tokens', { email: 'fuzz-viewer@example.com', name: 'viewer' }))).token;
  expect(viewer.id).toBeTruthy();
  // PATCH /users/{id} and DELETE /tokens/{id} get someone else's user and token, never the admin's.
  fixtures.victimUserId = (await created<{ id: string }>('victim', call('POST', '/api/v1/users', { email: VICTIM, name: 'Fuzz Victim', role: 'viewer' }))).id;
  fixtures.victimTokenId = (await created<{ id: string }>('victim token', call('POST', '/api/v1/tokens', { email: VICTIM, name: 'victim' }))).id;

  const incident = await created<{ number: number }>('incident', call('POST', '/api/v1/incidents', { title: 'Checkout is down for fuzzing', severity: 'SEV2' }));
  fixtures.number = incident.number;
  fixtures.role = 'scribe';
  await created('role', call('PUT', `/api/v1/incidents/${incident.number}/roles/scribe`, { email: RESPONDER }));
  await created('SME', call('POST', `/api/v1/incidents/${incident.number}/smes`, { email: RESPONDER }));
  fixtures.smeEmail = RESPONDER;
  fixtures.noteId = (await created<{ id: string }>('note', call('POST', `/api/v1/incidents/${incident.number}/timeline`, { body: 'Error rate is 40% on checkout' }))).id;

  fixtures.runbookId = (
    await created<{ id: string }>(
      'runbook',
      call('POST', '/api/v1/runbooks', { title: 'Checkout outage', phases: [{ title: 'Triage', steps: [{ title: 'Check the dashboard' }, { title: 'Restart the workers', command: 'kubectl rollout restart deploy/checkout' }] }] }),
    )
  ).id;
  const checklist = await created<{ id: string; items: { id: string }[] }>('checklist', call('POST', `/api/v1/incidents/${incident.number}/checklists`, { runbookId: fixtures.runbookId }));
  fixtures.checklistId = checklist.id;
  fixtures.itemId = checklist.items[0]!.id;

  // Nothing is ever delivered (the worker is off, see startApp below); the URL only has to pass the SSRF guard.
  fixtures.actionId = (await created<{ id: string }>('remediation action', call('POST', '/api/v1/remediation-actions', { name: 'Restart checkout', url: 'http://localhost:9/restart' }))).id;
  fixtures.deliveryId = (await created<{ id: string }>('delivery', call('POST', `/api/v1/incidents/${incident.number}/remediations`, { actionId: fixtures.actionId }))).id;
  fixtures.channelId = (
    await created<{ id: string }>('notification channel', call('POST', '/api/v1/notification-channels', { name: 'Fuzz hook', kind: 'webhook', target: 'http://localhost:9/notify', events: ['declared'] }))
  ).id;
  fixtures.reviewTemplateId = (await created<{ id: string }>('review template', call('POST', '/api/v1/review-templates', { name: 'Fuzz review', markdown: '## Summary\n\n## Impact\n\n## Root cause\n' }))).id;
  fixtures.updateTemplateKey = 'fuzz-progress';
  await created('update template', call('POST', '/api/v1/update-templates', { key: 'fuzz-progress', name: 'Fuzz progress', audience: 'internal', body: 'Still working on {{incident.title}}.' }));
  await created('postmortem', call('POST', `/api/v1/incidents/${incident.number}/postmortem`));
  fixtures.sectionKey = 'summary';
  fixtures.actionItemId = (await created<{ id: string }>('action item', call('POST', `/api/v1/incidents/${incident.number}/action-items`, { title: 'Add a checkout canary' }))).id;
}

// ---- the Markdown importer ----

// Documents stay small (the importer's inputs are, in practice: playbooks are ~10 kB), except for
// the shapes that once overflowed the stack or ran in quadratic time in Sitrep's own code (deep
// quotes, long runs of spaces in code, `a.b.c…` runs). Known and left out: the Markdown reader
// itself (micromark) is super-linear on some shapes, e.g. 256 kB of `- - - … x` lines or of
// `## Phase` sections takes over a minute.

const mdText = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 60 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(50_000), 'ðŸš¨ Outage â€” fix', 'password=hunter2hunter2', 'AKIAIOSFODNN7EXAMPLE', '**bold** _em_ `code` [link](http://x)', '<details><summary>x</summary>', '\u0000', '\ud800') },
);

const mdLine: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 7 }), mdText).map(([level, text]) => `${'#'.repeat(level)} ${text}`),
  fc.tuple(fc.integer({ min: 0, max: 40 }), fc.constantFrom('- ', '* ', '+ ', '1. ', '12) ', '- [ ] ', '- [x] ', '* [X] '), mdText).map(([depth, marker, text]) => `${'  '.repeat(depth)}${marker}${text}`),
  fc.tuple(fc.constantFrom('```', '```bash', '~~~', '````sh'), fc.array(fc.oneof(mdText, mdText.map((t) => `# 1. ${t}`), mdText.map((t) => `# 2) ${t}`)), { maxLength: 4 })).map(
    ([fence, lines]) => [fence, ...lines].join('\n'),
  ),
  fc.constantFrom('```', '| a | b |', '|---|---|', '| x | y |', '> quote', '---', '***', '', '   ', '<!-- comment -->', '[ref]: http://example.com', 'Setext heading\n======'),
  mdText,
);

const mdDocument = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.array(mdLine, { maxLength: 40 }), fc.constantFrom('\n', '\r\n', '\r', '\n\n')).map(([lines, eol]) => lines.join(eol)) },
  { weight: 2, arbitrary: fc.string({ maxLength: 2_000 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 2_000 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '> '.repeat(1_000) + 'deep',
      '> '.repeat(100_000) + 'deeper than the stack',
      '- '.repeat(50_000) + 'x',
      Array.from({ length: 60 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n'),
      `\`\`\`\n# 1. a${' '.repeat(100_000)}b\n\`\`\``,
      `# T\n\n\`\`\`\n${' '.repeat(100_000)}x\n\`\`\``,
      'a.'.repeat(100_000),
      '#'.repeat(10_000),
      `# T\n\n- ${'x'.repeat(300_000)}`,
      '# T\n\n' + Array.from({ length: 2_000 }, (_, i) => `- step ${i}`).join('\n'),
      Array.from({ length: 200 }, (_, i) => `## Phase ${i}\n\n- step`).join('\n\n'),
      '```\n'.repeat(501),
      '['.repeat(1_000) + ']'.repeat(1_000),
      '*'.repeat(20_000),
      '<'.repeat(10_000),
    ),
  },
);

// ---- the tests ----

const lastEventId = fc.constantFrom('0', '5', '2147483648', '99999999999999999999', '-1', 'abc', '1e3', ' 7 ', '');

const isStream = (op: Operation) => op.path.endsWith('/stream') || Object.values(op.responses).some((response) => response.contentType === 'text/event-stream');

describe('every API operation, over HTTP', () => {
  beforeEach(() => {
    unchangedSince = null;
  });

  beforeAll(async () => {
    console.log(`[bad-input] fast-check seed ${SEED} (replay with BAD_INPUT_SEED=${SEED})`);
    postgres = await startPostgres({ name: 'bad-input' });
    adminToken = await createUserWithToken(postgres.url, ADMIN, 'admin');
    // Without the in-process workers (delivery, notifications, update cadence) nothing writes to
    // the database but the request in flight, so the fingerprint comparison means what it says.
    // The request path is the same either way: jobs are queued inside the request's transaction.
    app = await startApp({ databaseUrl: postgres.url, name: 'bad-input', env: { SITREP_WORKER: 'false' } });
    client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    fingerprintSql = await buildFingerprintSql();
    await createFixtures();
  });

  afterAll(async () => {
    await client?.end();
    await app?.stop();
    await postgres?.destroy();
  });

  it('the catalogue is not empty', () => {
    expect(operations.length).toBeGreaterThan(50);
  });

  operations.forEach((op, index) => {
    if (isStream(op)) return;
    it(`${op.method} ${op.path}: a success or a 4xx, and a 4xx writes nothing`, async () => {
      // One seed per operation, derived from the logged one, so operations don't all draw the same values.
      await fc.assert(fc.asyncProperty(requestArbitrary(op), checkRequest), { numRuns: RUNS_PER_OPERATION, seed: SEED + index, endOnFailure: true });
    });
  });

  // SSE streams never end: only the status of the first answer is checked, then the stream is
  // dropped. No fingerprint here (a stream may record presence; it is not a write of the request).
  for (const op of operations.filter(isStream)) {
    it(`${op.method} ${op.path} (stream): a success or a 4xx`, async () => {
      await fc.assert(
        fc.asyncProperty(pathArbitrary(op.path), queryArbitrary(jsonSchemaOf(op.query)), fc.option(lastEventId, { nil: undefined }), async (path, query, resumeFrom) => {
          const controller = new AbortController();
          const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
          const headers: Record<string, string> = { authorization: `Bearer ${adminToken}`, ...(resumeFrom === undefined ? {} : { 'last-event-id': resumeFrom }) };
          try {
            const response = await fetch(`${app.url}${path}${query}`, { headers, signal: controller.signal });
            expect(response.status, `GET ${truncate(path + query, 300)} ${JSON.stringify(headers)}`).toBeLessThan(500);
          } finally {
            clearTimeout(timer);
            controller.abort();
          }
        }),
        { numRuns: RUNS_PER_STREAM, seed: SEED, endOnFailure: true },
      );
    });
  }

  it('POST /api/v1/runbooks/import with generated Markdown documents: 2xx or 4xx, and a 4xx writes nothing', async () => {
    const importBody = fc.record(
      { markdown: fc.oneof({ weight: 8, arbitrary: mdDocument }, { weight: 1, arbitrary: fc.constant('# Big\n\n- ' + 'y'.repeat(1_100_000)) }), title: hostileString, dryRun: fc.boolean(), redact: fc.boolean() },
      { requiredKeys: ['markdown', 'dryRun'] },
    );
    await fc.assert(
      fc.asyncProperty(importBody, async (body) => {
        const request: FuzzRequest = { method: 'POST', path: '/api/v1/runbooks/import', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) };
        await checkRequest(Object.assign(request, { [fc.toStringMethod]: () => describeRequest(request) }));
      }),
      { numRuns: RUNS_IMPORT_HTTP, seed: SEED, endOnFailure: true },
    );
  });
});

describe('the Markdown runbook importer', () => {
  it('never throws anything but a DomainError, and what it returns can be saved as runbooks', async () => {
    // Titles as the import request allows them (trimmed, at most 200 characters).
    const title = fc.option(hostileString.map((t) => t.trim()).filter((t) => t.length <= 200), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(mdDocument, title, fc.boolean(), async (markdown, title, redact) => {
        let result: Awaited<ReturnType<typeof importRunbookMarkdown>>;
        try {
          result = await importRunbookMarkdown(markdown, { title, redact });
          // What the import route does with each runbook next.
          for (const runbook of result.runbooks) importedToInput(runbook, result.documentTitle);
        } catch (error) {
          if (error instanceof DomainError) return;
          throw error;
        }
        expect(typeof result.documentTitle).toBe('string');
        for (const runbook of result.runbooks) {
          expect(runbook.title.trim()).not.toBe('');
          expect(runbook.phases.length).toBeGreaterThan(0);
          for (const phase of runbook.phases) for (const step of phase.steps) expect(typeof step.title).toBe('string');
        }
        for (const warning of result.warnings) {
          expect(['secret', 'encoding', 'structure', 'review_template']).toContain(warning.kind);
          expect(warning.line === null || (Number.isInteger(warning.line) && warning.line > 0)).toBe(true);
        }
      }),
      { numRuns: RUNS_IMPORT_PURE, seed: SEED },
    );
  });
});
