// Expected failures carry a message a person can act on and the HTTP status the API answers
// with. Anything that is not a DomainError is unexpected: logged with a request id and
// answered with a generic message.
import type { z } from 'zod';
import { recordDatabaseState } from '@/lib/platform/health-state';

export type FieldError = { path: string; message: string };

export class DomainError extends Error {
  readonly status: number;
  readonly title: string;
  constructor(status: number, title: string, message: string) {
    super(message);
    this.status = status;
    this.title = title;
  }
}

export class ValidationError extends DomainError {
  readonly errors: FieldError[];
  constructor(errors: FieldError[], message?: string) {
    super(422, 'Validation failed', message ?? errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; '));
    this.errors = errors;
  }
}

export class BadRequestError extends DomainError {
  constructor(message: string) {
    super(400, 'Bad request', message);
  }
}

/** A body larger than a route accepts (API: 413), refused before it is read whole. */
export class UnauthenticatedError extends DomainError {
  constructor(message = 'Sign in, or send an API token as `Authorization: Bearer <token>`.') {
    super(401, 'Unauthenticated', message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'Your role does not allow this.') {
    super(403, 'Forbidden', message);
  }
}

export class NotFoundError extends DomainError {
  constructor(message: string) {
    super(404, 'Not found', message);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string) {
    super(409, 'Conflict', message);
  }
}

/** A status move the lifecycle does not allow (API: 409). */
export class InvalidTransitionError extends ConflictError {}

export class PreconditionFailedError extends DomainError {
  constructor(message: string) {
    super(412, 'Precondition failed', message);
  }
}

export class PreconditionRequiredError extends DomainError {
  constructor(message: string) {
    super(428, 'Precondition required', message);
  }
}

export class RateLimitedError extends DomainError {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number) {
    super(429, 'Too many requests', message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** A request body over the limit of where it was sent (API: 413, before it is read any further). */
export class PayloadTooLargeError extends DomainError {
  readonly limitBytes: number;
  constructor(limitBytes: number, message = `The request body is larger than ${formatBytes(limitBytes)}, the limit here; send less (split it up).`) {
    super(413, 'Payload too large', message);
    this.limitBytes = limitBytes;
  }
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${+(bytes / 1024 / 1024).toFixed(1)} MiB` : bytes >= 1024 ? `${Math.round(bytes / 1024)} KiB` : `${bytes} bytes`;
}

/** The database can't be reached (restart, failover, network): the API answers 503 + Retry-After. */
export class DatabaseUnavailableError extends DomainError {
  readonly retryAfterSeconds = 5;
  constructor(busy = false) {
    super(
      503,
      busy ? 'Database busy' : 'Database unavailable',
      busy
        ? 'Sitrep is overloaded: no database connection came free in time, and nothing was changed. Retry in a few seconds.'
        : "Sitrep can't reach its database right now; retry in a few seconds. GET /api/health says when it is back.",
    );
  }
}

// A write that waited its whole budget for a pooled connection (see platform/db.ts).
const BUSY_MESSAGE = /Unable to start a transaction in the given time|timeout exceeded when trying to connect|Timed out fetching a new connection/;

// Prisma codes for an unreachable or vanished server, a pool that could not hand out a
// connection in time, and PostgreSQL's own "connection exception" / "operator intervention".
const UNAVAILABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);
const UNAVAILABLE_MESSAGE =
  /Can't reach database server|Connection terminated|Server has closed the connection|the database system is (starting up|shutting down|not yet accepting connections|in recovery mode)|terminating connection due to administrator command|timeout exceeded when trying to connect|Timed out fetching a new connection|Code: `(57P0[1-3]|08\d{3})`/;

/**
 * A database outage dressed as a DomainError (503) so callers answer it clearly; null for any
 * other error. Looks through `cause` chains, where driver adapters put the original error.
 */
export function databaseUnavailable(error: unknown): DatabaseUnavailableError | null {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; current = (current as { cause?: unknown }).cause, depth++) {
    if (current instanceof DatabaseUnavailableError) return current;
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof message === 'string' && BUSY_MESSAGE.test(message)) return new DatabaseUnavailableError(true);
    const unavailable =
      (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || /^(57P0[1-3]|08\d{3})$/.test(code))) || (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message));
    if (unavailable) {
      // Page loads answer with the "retrying" page while this is fresh (proxy.ts).
      recordDatabaseState(false);
      return new DatabaseUnavailableError();
    }
  }
  return null;
}

export function fieldErrorsFromZod(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

/** Half of a UTF-16 surrogate pair on its own: JSON can carry one (`"\ud800"`), jsonb refuses it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * PostgreSQL can't store the NUL character (U+0000) in text, nor a lone surrogate in jsonb, so a
 * value containing either would fail deep in a write with a 500. Refuses it up front, naming where
 * it is. Walks strings, arrays and objects with a loop and parent links, not recursion and path
 * strings: a body nested 100,000 levels deep must not overflow the stack or build a path per level.
 */
export function refuseUnstorableText(value: unknown, path = ''): void {
  type At = { key: string; parent: At } | null;
  const pathOf = (at: At) => {
    const keys: string[] = [];
    for (let step = at; step; step = step.parent) keys.push(step.key);
    const text = keys.reverse().join('.');
    return text.length > 200 ? `…${text.slice(-200)}` : text;
  };
  const pending: [unknown, At][] = [[value, path ? { key: path, parent: null } : null]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [current, at] = next;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) throw new ValidationError([{ path: pathOf(at), message: 'Text can’t contain the NUL character (\\u0000); remove it' }]);
      const lone = LONE_SURROGATE.exec(current);
      if (lone) {
        const code = `\\u${lone[0].charCodeAt(0).toString(16)}`;
        throw new ValidationError([{ path: pathOf(at), message: `Text can’t contain half of a UTF-16 surrogate pair (${code}) on its own; send valid Unicode` }]);
      }
    } else if (Array.isArray(current)) {
      current.forEach((item, index) => pending.push([item, { key: String(index), parent: at }]));
    } else if (current !== null && typeof current === 'object') {
      for (const [key, item] of Object.entries(current)) pending.push([key, at], [item, { key, parent: at }]);
    }
  }
}

/** Parses with a zod schema, turning failures into a ValidationError that lists each field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(fieldErrorsFromZod(result.error));
  return result.data;
}

/** Postgres unique violation, as surfaced by Prisma. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error as { code: unknown }).code === 'P2002';
}
