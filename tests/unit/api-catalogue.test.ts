// Every route file under app/api is described in the operation catalogue (and so in the OpenAPI
// document and the authorisation test), and every catalogued operation has its route.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { operations } from '@/lib/catalogue';
import { buildOpenApiDocument } from '@/lib/platform/http/openapi';
import { routeHandlers } from '../support/routes';

describe('API catalogue', () => {
  const handlers = routeHandlers();
  const key = (o: { method: string; path: string }) => `${o.method} ${o.path}`;

  it('has an operation for every route handler', () => {
    expect(handlers.map(key).sort()).toEqual(operations.map(key).sort());
  });

  it('builds every route with apiRoute from its operation', () => {
    for (const handler of handlers) {
      const source = readFileSync(handler.file, 'utf8');
      expect(source, handler.file).toMatch(new RegExp(`export const ${handler.method} = apiRoute\\(`));
    }
  });

  it('describes every operation in an OpenAPI 3.1 document', () => {
    const document = buildOpenApiDocument(operations, 'http://localhost:3000') as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(document.openapi).toBe('3.1.0');
    for (const operation of operations) {
      const entry = document.paths[operation.path]?.[operation.method.toLowerCase()];
      expect(entry, key(operation)).toBeDefined();
      if (operation.body) expect(entry!.requestBody, key(operation)).toBeDefined();
      if (operation.permission) expect(entry!.responses['401'], key(operation)).toBeDefined();
    }
    expect(document.components.schemas).toHaveProperty('Problem');
    expect(document.components.schemas).toHaveProperty('User');
    expect(JSON.stringify(document)).not.toContain('#/$defs/');
  });
});
