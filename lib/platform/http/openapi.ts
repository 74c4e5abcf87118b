// Generates the OpenAPI 3.1 document from a list of operations (lib/catalogue.ts holds them all). OpenAPI 3.1 schemas are
// JSON Schema 2020-12, which is what zod 4's toJSONSchema emits; schemas with a `.meta({id})`
// become shared components.
import { z } from 'zod';
import type { Operation } from '@/lib/platform/http/operation';
import { problemSchema } from '@/lib/platform/http/problem';

type JsonSchema = Record<string, unknown>;

function toSchema(schema: z.ZodType, io: 'input' | 'output', components: Record<string, JsonSchema>): JsonSchema {
  const generated = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any', reused: 'inline' }) as JsonSchema;
  const { $schema: _ignored, $defs, ...rest } = generated as JsonSchema & { $defs?: Record<string, JsonSchema> };
  const toComponentRefs = (value: JsonSchema) => JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonSchema;
  for (const [name, definition] of Object.entries($defs ?? {})) components[name] ??= toComponentRefs(definition);
  const id = (z.globalRegistry.get(schema) as { id?: string } | undefined)?.id;
  const body = toComponentRefs(rest);
  if (!id) return body;
  delete body.id;
  components[id] ??= body;
  return { $ref: `#/components/schemas/${id}` };
}

function parameters(operation: Operation, components: Record<string, JsonSchema>) {
  const list: JsonSchema[] = [];
  for (const [location, schema] of [['path', operation.params], ['query', operation.query]] as const) {
    if (!schema) continue;
    const json = toSchema(schema, 'input', components) as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      list.push({ name, in: location, required: location === 'path' || (json.required ?? []).includes(name), schema: property });
    }
  }
  return list;
}

export function buildOpenApiDocument(operations: readonly Operation[], serverUrl?: string): Record<string, unknown> {
  const components: Record<string, JsonSchema> = {};
  const problemRef = toSchema(problemSchema, 'output', components);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of operations) {
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(operation.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.schema
          ? { content: { [response.contentType ?? 'application/json']: { schema: toSchema(response.schema, 'output', components) } } }
          : {}),
      };
    }
    const problems: Record<string, string> = operation.permission
      ? { 401: 'No or invalid token', 403: 'Role too low', 422: 'Validation failed' }
      : {};
    if (operation.body) problems[400] = 'Malformed JSON';
    for (const [status, description] of Object.entries(problems)) {
      responses[status] ??= { description, content: { 'application/problem+json': { schema: problemRef } } };
    }
    paths[operation.path] ??= {};
    paths[operation.path]![operation.method.toLowerCase()] = {
      summary: operation.summary,
      tags: [operation.tag],
      operationId: `${operation.method.toLowerCase()}${operation.path.replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      ...(operation.permission
        ? { security: [{ bearer: [] }], 'x-sitrep-permission': operation.permission }
        : { security: [], ...(operation.ownCredential ? { 'x-sitrep-credential': operation.ownCredential } : {}) }),
      parameters: parameters(operation, components),
      ...(operation.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(operation.body, 'input', components) } } } }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Sitrep API',
      version: '1',
      description: 'The REST API of Sitrep, a self-hosted incident command center. Errors are RFC 9457 problem+json.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    security: [{ bearer: [] }],
    paths,
    components: { schemas: components, securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token from Settings → API tokens or `npm run cli -- tokens create`' } } },
  };
}
