// Status-update templates: variables, errors with positions, and message templates found in
// imported playbooks (the seeds' "Templates" sections).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { messagesInNote } from '@/lib/communications/suggestions';
import { BUILT_IN_TEMPLATES, checkUpdateTemplate, renderUpdateTemplate, UPDATE_VARIABLES, type UpdateContext } from '@/lib/communications/template';
import { importRunbookMarkdown } from '@/lib/runbooks/import';

const context = Object.fromEntries(UPDATE_VARIABLES.map((v) => [v.name, `<${v.name}>`])) as UpdateContext;

describe('renderUpdateTemplate', () => {
  it('fills in variables with or without spaces inside the braces, and leaves other text alone', () => {
    expect(renderUpdateTemplate('{{incident.key}} / {{ incident.title }} { not a variable } }}', context)).toBe('<incident.key> / <incident.title> { not a variable } }}');
  });

  it('says where an unknown or unclosed variable is', () => {
    expect(checkUpdateTemplate('Hi\nthere {{incident.titel}}')).toMatchObject({ line: 2, column: 7, reason: expect.stringMatching(/^Unknown variable \{\{incident\.titel\}\}; use one of incident\.key/) });
    expect(checkUpdateTemplate('Next: {{nextUpdate')).toMatchObject({ line: 1, column: 7, reason: '{{ is not closed; end the variable with }}' });
    expect(checkUpdateTemplate('ok {{cadence}}')).toBeNull();
  });

  it('built-in templates use only known variables', () => {
    for (const template of BUILT_IN_TEMPLATES) expect(checkUpdateTemplate(template.body), template.key).toBeNull();
  });
});

describe('messagesInNote', () => {
  it('takes each fenced block with the bold label before it', () => {
    const note = '1. **Initial Response** (within 15 minutes):\n```\nWe are looking into it.\n```\n\n2. **Resolution**:\n```\nFixed.\n```\n```\nNo label here.\n```';
    expect(messagesInNote({ title: 'Customer Communication', markdown: note })).toEqual([
      { name: 'Initial Response', body: 'We are looking into it.' },
      { name: 'Resolution', body: 'Fixed.' },
      { name: 'Customer Communication', body: 'No label here.' },
    ]);
  });

  const seedsDir = path.resolve(import.meta.dirname, '../../../shared/seeds');
  const seed = existsSync(seedsDir) ? readdirSync(seedsDir).find((f) => f.startsWith('000')) : undefined;
  it.skipIf(!seed)(seed ? 'finds the three customer messages of seed 000' : `seed 000: SKIPPED, ${seedsDir} is absent`, async () => {
    const imported = await importRunbookMarkdown(readFileSync(path.join(seedsDir, seed!), 'utf8'));
    const notes = imported.runbooks.flatMap((r) => r.references).filter((r) => r.kind === 'message_template');
    const messages = [...new Map(notes.flatMap((n) => messagesInNote(n)).map((m) => [m.body, m])).values()];
    expect(messages.map((m) => m.name)).toEqual(expect.arrayContaining(['Initial Response', 'Progress Update', 'Resolution']));
    expect(messages.find((m) => m.name === 'Initial Response')!.body).toMatch(/^We are currently experiencing technical difficulties/);
  });
});
