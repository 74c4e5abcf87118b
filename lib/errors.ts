// Expected failures carry a message a person can act on and the HTTP status the API answers
// with. Anything that is not a DomainError is unexpected: logged with a request id and
// answered with a generic message.
import type { z } from 'zod';

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

export function fieldErrorsFromZod(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
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
