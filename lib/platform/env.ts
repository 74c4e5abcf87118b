// The only reader of process.env (STYLE.md). Everything configurable about Sitrep is listed
// here, validated once, and documented in README's configuration table.
import { z } from 'zod';
import { parseTrustedProxies } from '@/lib/platform/http/client-address';

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'use true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const postgresUrl = z
  .string()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), 'must be a postgres:// or postgresql:// URL');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  DATABASE_URL: postgresUrl.optional(),
  SHADOW_DATABASE_URL: postgresUrl.optional(),
  AUTH_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters; generate one with `openssl rand -base64 32`')
    .optional(),
  SITREP_URL: z.url({ error: 'must be the public URL people open, e.g. https://sitrep.example.com' }).optional(),
  NEXTAUTH_URL: z.url().optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).optional(),
  SITREP_DATA_DIR: z.string().min(1).default('.data'),
  SITREP_MIGRATE_ON_START: flag.default(true),
  SITREP_DEMO: flag.optional(),
  SITREP_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  OIDC_ISSUER: z.url({ error: 'must be the issuer URL of your identity provider' }).optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_NAME: z.string().min(1).default('Single sign-on'),
  OIDC_DEFAULT_ROLE: z.enum(['viewer', 'responder', 'admin']).default('viewer'),
  SITREP_WEBHOOK_ALLOW_HOSTS: z.string().default(''),
  // Proxies whose X-Forwarded-For is believed (addresses or CIDR ranges, comma-separated); none by default.
  SITREP_TRUSTED_PROXIES: z
    .string()
    .default('')
    .superRefine((value, ctx) => {
      try {
        parseTrustedProxies(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `${(error as Error).message}; list proxy addresses or ranges, e.g. 10.0.0.0/8,192.168.1.7` });
      }
    }),
  // Who may embed the public status page in a frame (CSP frame-ancestors sources); nobody by default.
  SITREP_STATUS_FRAME_ANCESTORS: z.string().default(''),
  // AES-256 key (32 bytes, base64 or hex) that encrypts webhook signing secrets and secret header
  // values at rest. Embedded mode generates one under .data/; with DATABASE_URL, set it.
  SITREP_ENCRYPTION_KEY: z.string().min(1).optional(),
  // Deliver remediation webhooks from the web server process (default) or only from `npm run worker`.
  SITREP_WORKER: flag.default(true),
  // How long a delivery job may run before the queue takes it back from a worker that died
  // mid-flight and hands it to another. Keep it above the longest action timeout (30 s) plus a few
  // seconds, or a slow attempt can be sent twice; tests lower it to see a crash recovered quickly.
  SITREP_DELIVERY_EXPIRE_SECONDS: z.coerce.number({ error: 'a number of seconds' }).int().min(1).max(3_600).default(60),
  // Database connections of one app process for its own queries, split evenly between reads and
  // writes so that a flood of reads (or of live streams catching up) can never take the
  // connections a write needs. The LISTEN connection and the job queue's pool (4) come on top.
  SITREP_DB_POOL: z.coerce.number({ error: 'a number of connections' }).int().min(2, 'at least 2 (one for reads, one for writes)').max(200).default(12),
  // How long a write waits for a free connection before it is refused with 503 and Retry-After.
  SITREP_DB_WRITE_WAIT_MS: z.coerce.number({ error: 'a number of milliseconds' }).int().min(100).max(60_000).default(10_000),
  // The SMTP server that e-mail notification channels send through; unset: no e-mail channels.
  SITREP_SMTP_URL: z
    .url({ error: 'must be an SMTP URL, e.g. smtp://user:pass@mail.example.com:587 (smtps:// for TLS from the start)' })
    .refine((value) => /^smtps?:\/\//i.test(value), 'must start with smtp:// or smtps://, e.g. smtp://user:pass@mail.example.com:587')
    .optional(),
  // The From header of notification e-mails.
  SITREP_SMTP_FROM: z.string().trim().regex(/@/, 'must hold an e-mail address, e.g. "Sitrep <sitrep@example.com>"').default('Sitrep <sitrep@localhost>'),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  override name = 'EnvError';
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // Empty strings mean "unset": `FOO= npm start` should behave like no FOO at all.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const result = envSchema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new EnvError(`Sitrep's configuration is invalid:\n${lines.join('\n')}`);
  }
  const env = result.data;
  const oidc = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET];
  if (oidc.some(Boolean) && !oidc.every(Boolean)) {
    throw new EnvError(
      "Sitrep's configuration is invalid:\n  OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET: set all three to enable single sign-on, or none",
    );
  }
  return env;
}

export const env: Env = parseEnv(process.env);

/**
 * In embedded mode the database URL is known only once PostgreSQL has started; the start script
 * and the CLI set it here before anything opens a connection (lib/platform/db.ts reads it lazily).
 */
export function setDatabaseUrl(url: string): void {
  env.DATABASE_URL = url;
  process.env.DATABASE_URL = url;
}

/** The raw environment, for scripts that start child processes with it. */
export function processEnvironment(): NodeJS.ProcessEnv {
  return process.env;
}

export const oidcEnabled = Boolean(env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET);
