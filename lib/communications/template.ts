// Status-update templates: text with {{variables}}. Unlike webhook bodies these are read by
// people, so values are pasted as text; updates are shown as sanitised Markdown with their line
// breaks kept (lib/communications/update-body.ts).

export const UPDATE_VARIABLES = [
  { name: 'incident.key', description: 'The incident key, e.g. INC-42' },
  { name: 'incident.title', description: 'The incident title' },
  { name: 'incident.severity', description: 'The severity key, e.g. SEV1' },
  { name: 'incident.severityName', description: 'The severity name, e.g. Critical' },
  { name: 'incident.status', description: 'The status in words, e.g. Investigating' },
  { name: 'incident.impact', description: 'Customer impact in a sentence (or the summary when there is one)' },
  { name: 'incident.summary', description: 'The incident summary' },
  { name: 'incident.services', description: 'Affected services, e.g. “checkout and payments” (“our services” when none are set)' },
  { name: 'incident.startedAt', description: 'When it started (or was declared), in UTC' },
  { name: 'incident.resolvedAt', description: 'When it was resolved, in UTC (“not yet” while open)' },
  { name: 'incident.duration', description: 'How long it lasted (so far), e.g. 1 h 25 min' },
  { name: 'nextUpdate', description: 'When the next update is due by the severity’s cadence, in UTC' },
  { name: 'cadence', description: 'The update cadence, e.g. 30 minutes' },
  { name: 'commander', description: 'The Incident Commander’s name (internal updates)' },
  { name: 'statusPage', description: 'The public status page URL' },
] as const;

export type UpdateVariable = (typeof UPDATE_VARIABLES)[number]['name'];
export type UpdateContext = Record<UpdateVariable, string>;

const names: readonly string[] = UPDATE_VARIABLES.map((v) => v.name);

export class UpdateTemplateError extends Error {
  override name = 'UpdateTemplateError';
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`Line ${line}, column ${column}: ${reason}`);
  }
}

function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/** Fills in the variables; an unknown or unclosed one is an error with its line and column. */
export function renderUpdateTemplate(text: string, context: UpdateContext): string {
  let out = '';
  let index = 0;
  for (;;) {
    const open = text.indexOf('{{', index);
    if (open === -1) return out + text.slice(index);
    out += text.slice(index, open);
    const close = text.indexOf('}}', open + 2);
    const inner = close === -1 ? '' : text.slice(open + 2, close);
    if (close === -1 || /[\r\n{]/.test(inner)) {
      const { line, column } = position(text, open);
      throw new UpdateTemplateError('{{ is not closed; end the variable with }}', line, column);
    }
    const name = inner.trim();
    if (!names.includes(name)) {
      const { line, column } = position(text, open);
      throw new UpdateTemplateError(`Unknown variable {{${name}}}; use one of ${names.join(', ')}`, line, column);
    }
    out += context[name as UpdateVariable];
    index = close + 2;
  }
}

/** Checks a template with sample values; null when it is fine. */
export function checkUpdateTemplate(text: string): UpdateTemplateError | null {
  const sample = Object.fromEntries(names.map((name) => [name, 'x'])) as UpdateContext;
  try {
    renderUpdateTemplate(text, sample);
    return null;
  } catch (error) {
    if (error instanceof UpdateTemplateError) return error;
    throw error;
  }
}

/** The built-in templates, worded after the teams' playbooks (initial, progress, resolution). */
export const BUILT_IN_TEMPLATES = [
  {
    key: 'initial',
    name: 'Initial response',
    audience: 'public',
    position: 1,
    body: 'We are investigating a problem affecting {{incident.services}}: {{incident.title}}.\nOur team is actively working on it. We will post the next update by {{nextUpdate}}.',
  },
  {
    key: 'progress',
    name: 'Progress update',
    audience: 'public',
    position: 2,
    body: 'Update: {{incident.status}}. {{incident.impact}}\nWe are continuing to work on a fix and will post the next update by {{nextUpdate}}.',
  },
  {
    key: 'resolved',
    name: 'Resolution',
    audience: 'public',
    position: 3,
    body: 'The issue has been resolved and {{incident.services}} are operating normally.\nImpact lasted from {{incident.startedAt}} to {{incident.resolvedAt}} ({{incident.duration}}).\nWe apologize for any inconvenience caused.',
  },
  {
    key: 'internal',
    name: 'Internal alert',
    audience: 'internal',
    position: 4,
    body: '{{incident.severity}} {{incident.key}}: {{incident.title}}\nStatus: {{incident.status}} · Services: {{incident.services}} · Commander: {{commander}}\n{{incident.impact}}\nNext update by {{nextUpdate}} (every {{cadence}}).',
  },
] as const;
