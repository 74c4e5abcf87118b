import { z } from 'zod';
import { sameSitePath } from '@/lib/platform/auth/callback-url';
import { safeHtmlSchema } from '@/lib/platform/markdown/safe-html';

export const audiences = ['internal', 'public'] as const;
export type Audience = (typeof audiences)[number];
export const audienceSchema = z.enum(audiences, { error: 'audience is internal (the team) or public (the status page)' });

const templateKey = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_-]{0,39}$/, 'Template keys are lower-case letters, digits, - and _, e.g. progress');

export const postUpdateSchema = z
  .object({
    audience: audienceSchema,
    body: z.string().trim().max(5_000, 'Keep an update under 5,000 characters').optional(),
    template: templateKey.optional(),
  })
  .refine((input) => input.body || input.template, { message: 'Write the update (body) or name a template: initial, progress or resolved', path: ['body'] });
export type PostUpdateInput = z.input<typeof postUpdateSchema>;

export const updateSchema = z
  .object({
    id: z.uuid(),
    incident: z.object({ number: z.number().int(), key: z.string() }),
    audience: audienceSchema,
    body: z.string(),
    bodyHtml: safeHtmlSchema.describe('The body rendered to sanitised HTML (Markdown, every line break kept)'),
    template: z.string().nullable(),
    status: z.string(),
    postedAt: z.iso.datetime(),
    postedBy: z.object({ email: z.string(), name: z.string() }).nullable(),
  })
  .meta({ id: 'StatusUpdate' });
export type UpdateDto = z.infer<typeof updateSchema>;

export const templateInputSchema = z.object({
  key: templateKey,
  name: z.string({ error: 'Give the template a name' }).trim().min(2, 'Give the template a name').max(80, 'Keep the name under 80 characters'),
  audience: audienceSchema.default('public'),
  body: z.string({ error: 'Write the template text' }).trim().min(1, 'Write the template text').max(5_000, 'Keep a template under 5,000 characters'),
});
export type TemplateInput = z.input<typeof templateInputSchema>;

export const templateSchema = z
  .object({ id: z.uuid(), key: z.string(), name: z.string(), audience: audienceSchema, body: z.string(), builtIn: z.boolean(), version: z.number().int() })
  .meta({ id: 'UpdateTemplate' });
export type TemplateDto = z.infer<typeof templateSchema>;

const hexColour = z
  .string()
  .trim()
  .regex(/^#[0-9a-fA-F]{6}$/, 'Give the accent colour as #rrggbb, e.g. #0369a1');

function isHttpsUrl(value: string): boolean {
  if (!/^https:\/\//i.test(value)) return false;
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

export const brandingSchema = z.object({
  title: z.string().trim().min(2, 'Give the status page a title').max(80, 'Keep the title under 80 characters'),
  logoUrl: z
    .string()
    .trim()
    .max(2_000)
    // A browser reads `//host/logo.png` (or `/\\host/…`, or a tab between the slashes) as another
    // host over whatever protocol the page has: only https: URLs and paths that stay here pass.
    .refine((value) => value === '' || isHttpsUrl(value) || sameSitePath(value) !== null, 'Use an https:// URL (or a path on this server such as /logo.png) for the logo')
    .default(''),
  accentColor: hexColour.default('#0369a1'),
});
export type Branding = z.output<typeof brandingSchema>;
export const defaultBranding: Branding = { title: 'Service status', logoUrl: '', accentColor: '#0369a1' };

export const publicStatusSchema = z
  .object({
    updatedAt: z.iso.datetime(),
    incidents: z.array(
      z.object({
        key: z.string(),
        title: z.string(),
        status: z.string(),
        severity: z.string(),
        services: z.array(z.string()),
        startedAt: z.iso.datetime(),
        resolvedAt: z.iso.datetime().nullable(),
        updates: z.array(z.object({ body: z.string(), postedAt: z.iso.datetime(), status: z.string() })),
      }),
    ),
  })
  .meta({ id: 'PublicStatus' });
export type PublicStatus = z.infer<typeof publicStatusSchema>;
