// The first draft of a review, written from what Sitrep already knows about the incident. Pure
// functions: the data in (loaded by load.ts), Markdown sections out. Sections people write
// (root cause, what went well…) start empty: their prompt is a placeholder, never text that
// could be saved, exported or published as if someone had written it.
import { formatClock, formatDateTime, formatDuration, NOT_RECORDED } from '@/lib/platform/time';

export type SectionKey = string;

export type GeneratedSection = { key: SectionKey; title: string; body: string; generated: boolean; prompt: string | null };

export type ReviewData = {
  incident: {
    number: number;
    key: string;
    title: string;
    summary: string;
    severity: { key: string; name: string };
    status: string;
    services: string[];
    customerImpact: boolean;
    times: { startedAt: Date | null; detectedAt: Date | null; declaredAt: Date; acknowledgedAt: Date | null; mitigatedAt: Date | null; resolvedAt: Date | null; closedAt: Date | null };
  };
  severityChanges: { at: Date; from: string; to: string; by: string | null; reason: string | null }[];
  roles: { role: string; holder: string | null; since: Date | null }[];
  roleHistory: { role: string; holder: string; since: Date; until: Date }[];
  smes: string[];
  events: { at: Date; kind: string; body: string; actor: string | null; pinned: boolean }[];
  checklists: { title: string; items: { title: string; state: 'open' | 'done' | 'skipped'; note: string | null; adHoc: boolean; by: string | null }[] }[];
  deliveries: { action: string; status: string; attempts: number; lastResult: string | null; requestedBy: string | null; at: Date }[];
  updates: { at: Date; audience: 'internal' | 'public'; body: string; by: string | null }[];
  actionItems: { title: string; owner: string | null; dueDate: string | null; status: 'open' | 'done'; url: string | null }[];
};

export const roleNames: Record<string, string> = { commander: 'Incident Commander', tech_lead: 'Tech Lead', comms_lead: 'Communications Lead', scribe: 'Scribe' };

/** Text in a Markdown table cell: one line, pipes escaped. */
function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').trim();
}

function firstLine(text: string, max = 160): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function summary(d: ReviewData): string {
  const i = d.incident;
  const lines = [`**${i.key}: ${i.title}** · ${i.severity.key} (${i.severity.name}) · ${i.status}`];
  if (i.summary.trim()) lines.push('', i.summary.trim());
  return lines.join('\n');
}

function impact(d: ReviewData): string {
  const i = d.incident;
  const start = i.times.startedAt ?? i.times.declaredAt;
  const end = i.times.resolvedAt;
  return [
    `- **Customer impact:** ${i.customerImpact ? 'yes' : 'none recorded'}`,
    `- **Affected services:** ${i.services.length ? i.services.join(', ') : 'none recorded'}`,
    `- **Duration:** ${end ? `${formatDuration(end.getTime() - start.getTime())} (${formatDateTime(start)} to ${formatDateTime(end)})` : `ongoing since ${formatDateTime(start)}`}`,
  ].join('\n');
}

function keyTimes(d: ReviewData): string {
  const t = d.incident.times;
  const start = t.startedAt ?? t.declaredAt;
  // A time nobody entered was not recorded; only the resolution of an open incident is yet to come.
  const missing = (label: string) => (label.endsWith('resolve') || label === 'Resolved') && !t.resolvedAt && !['resolved', 'closed'].includes(d.incident.status) ? 'not yet' : NOT_RECORDED;
  const row = (label: string, at: Date | null) => `| ${label} | ${at ? formatDateTime(at) : missing(label)} |`;
  const lines = [
    '| Moment | Time |',
    '| --- | --- |',
    row('Started', t.startedAt),
    row('Detected', t.detectedAt),
    row('Declared', t.declaredAt),
    row('Acknowledged', t.acknowledgedAt),
    row('Mitigated', t.mitigatedAt),
    row('Resolved', t.resolvedAt),
    '',
  ];
  const measure = (label: string, to: Date | null, from: Date) => `- **${label}:** ${to ? formatDuration(to.getTime() - from.getTime()) : missing(label)}`;
  lines.push(
    measure('Time to detect', t.detectedAt, start),
    measure('Time to acknowledge', t.acknowledgedAt, t.declaredAt),
    measure('Time to mitigate', t.mitigatedAt, start),
    measure('Time to resolve', t.resolvedAt, start),
  );
  lines.push('', '**Severity history**', '');
  if (d.severityChanges.length === 0) lines.push(`- ${d.incident.severity.key} throughout.`);
  else {
    lines.push(`- Declared as ${d.severityChanges[0]!.from}.`);
    for (const c of d.severityChanges) lines.push(`- ${formatDateTime(c.at)}: ${c.from} → ${c.to}${c.by ? ` by ${c.by}` : ''}${c.reason ? ` (${c.reason})` : ''}`);
  }
  return lines.join('\n');
}

function responders(d: ReviewData): string {
  const lines = ['| Role | Held by | Earlier |', '| --- | --- | --- |'];
  for (const role of d.roles) {
    const earlier = d.roleHistory.filter((h) => h.role === role.role).map((h) => `${h.holder} (${formatClock(h.since)}–${formatClock(h.until)})`);
    lines.push(`| ${roleNames[role.role] ?? role.role} | ${role.holder ?? '—'} | ${cell(earlier.join(', ')) || '—'} |`);
  }
  if (d.smes.length) lines.push('', `Subject-matter experts: ${d.smes.join(', ')}.`);
  return lines.join('\n');
}

const timelineKinds = new Set(['status', 'severity', 'role', 'remediation', 'communication']);

function timeline(d: ReviewData): string {
  // Key events: pinned notes plus status, severity, role, remediation and communication events
  // (remediation attempts are summarised under Remediation, so only requests and outcomes here).
  const key = d.events.filter((e) => e.pinned || (timelineKinds.has(e.kind) && !/ attempt \d+\/\d+:/.test(e.body)));
  if (!key.length) return '_No key events were recorded._';
  const lines = ['| Time (UTC) | Event | By |', '| --- | --- | --- |'];
  for (const e of key.slice(0, 200)) lines.push(`| ${formatDateTime(e.at).replace(' UTC', '')} | ${cell(firstLine(e.body, 200))} | ${e.actor ?? '—'} |`);
  if (key.length > 200) lines.push('', `_…and ${key.length - 200} more on the incident's timeline._`);
  return lines.join('\n');
}

function runbooks(d: ReviewData): string {
  if (!d.checklists.length) return '_No runbook was attached._';
  const lines: string[] = [];
  for (const c of d.checklists) {
    const done = c.items.filter((i) => i.state === 'done' && !i.adHoc);
    const skipped = c.items.filter((i) => i.state === 'skipped');
    const added = c.items.filter((i) => i.adHoc);
    const open = c.items.filter((i) => i.state === 'open' && !i.adHoc);
    lines.push(`**${c.title}**: ${done.length} done, ${skipped.length} skipped, ${added.length} added, ${open.length} not done.`, '');
    for (const i of skipped) lines.push(`- Skipped: ${i.title}${i.note ? ` (${i.note})` : ''}${i.by ? ` by ${i.by}` : ''}`);
    for (const i of added) lines.push(`- Added during the incident: ${i.title} (${i.state})`);
    for (const i of open) lines.push(`- Not done: ${i.title}`);
    lines.push('');
  }
  return lines.join('\n').trim();
}

function remediation(d: ReviewData): string {
  if (!d.deliveries.length) return '_No remediation action was fired._';
  const lines = ['| Requested (UTC) | Action | By | Outcome | Attempts |', '| --- | --- | --- | --- | --- |'];
  for (const r of d.deliveries) lines.push(`| ${formatDateTime(r.at).replace(' UTC', '')} | ${cell(r.action)} | ${r.requestedBy ?? '—'} | ${r.status}${r.lastResult ? ` (${cell(r.lastResult)})` : ''} | ${r.attempts} |`);
  return lines.join('\n');
}

function communications(d: ReviewData): string {
  if (!d.updates.length) return '_No status update was posted._';
  const lines = [`${d.updates.filter((u) => u.audience === 'public').length} public and ${d.updates.filter((u) => u.audience === 'internal').length} internal updates.`, ''];
  for (const u of d.updates) lines.push(`- ${formatDateTime(u.at)} · ${u.audience}${u.by ? ` · ${u.by}` : ''}: ${firstLine(u.body)}`);
  return lines.join('\n');
}

function actionItems(d: ReviewData): string {
  if (!d.actionItems.length) return 'None yet.';
  const lines = ['| Action item | Owner | Due | Status |', '| --- | --- | --- | --- |'];
  for (const a of d.actionItems) lines.push(`| ${cell(a.url ? `[${a.title}](${a.url})` : a.title)} | ${a.owner ?? '—'} | ${a.dueDate ?? '—'} | ${a.status} |`);
  return lines.join('\n');
}

/** What each generated section says; a template can place them anywhere. A prompt says what people may add. */
export const generators: Record<string, { title: string; render: (d: ReviewData) => string; prompt?: string }> = {
  summary: { title: 'Summary', render: summary, prompt: 'Say in two or three sentences what happened and what it meant for users.' },
  impact: { title: 'Customer impact', render: impact, prompt: 'Describe who was affected and how (errors, slowness, data), and how many.' },
  key_times: { title: 'Key times and severity', render: keyTimes },
  responders: { title: 'Responders', render: responders },
  timeline: { title: 'Timeline', render: timeline },
  runbooks: { title: 'Runbook steps', render: runbooks },
  remediation: { title: 'Remediation', render: remediation },
  communications: { title: 'Status updates sent', render: communications },
  action_items: { title: 'Action items', render: actionItems, prompt: 'Add them beside the document, or select a sentence and choose “Make action item from the selection”.' },
};

/** Sections people write, with the prompt they start from. */
export const writtenSections: Record<string, { title: string; prompt: string }> = {
  root_cause: { title: 'Root cause and contributing factors', prompt: 'What caused it, and what made it worse or harder to see? Contributing factors are as important as the trigger.' },
  resolution: { title: 'Resolution', prompt: 'What fixed it, and how was the fix verified?' },
  what_went_well: { title: 'What went well', prompt: 'What helped: alerts, tools, people, runbook steps.' },
  what_went_wrong: { title: 'What went wrong', prompt: 'What slowed detection, diagnosis or recovery?' },
  lessons_learned: { title: 'Lessons learned', prompt: 'What will we do differently? Turn each into an action item.' },
};

/** The default review, matching the seeds' post-mortem and incident-report templates. */
export const DEFAULT_TEMPLATE = [
  'summary',
  'impact',
  'key_times',
  'responders',
  'timeline',
  'root_cause',
  'resolution',
  'runbooks',
  'remediation',
  'communications',
  'what_went_well',
  'what_went_wrong',
  'lessons_learned',
  'action_items',
];

export type TemplateSection = { key: string; title: string; prompt: string | null };

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40);
}

// Headings in admins' templates that mean a section Sitrep can write.
const aliases: [RegExp, string][] = [
  [/^(executive )?summary|overview/, 'summary'],
  [/impact/, 'impact'],
  [/key times|duration|detection|metrics/, 'key_times'],
  [/responders|people|participants|roles/, 'responders'],
  [/timeline|chronology/, 'timeline'],
  [/runbook|checklist/, 'runbooks'],
  [/remediation|actions taken/, 'remediation'],
  [/messaging|communication|status updates/, 'communications'],
  [/action items|follow.?ups|next steps/, 'action_items'],
  [/root cause|contributing|cause/, 'root_cause'],
  [/resolution|recovery/, 'resolution'],
  [/went well/, 'what_went_well'],
  [/went wrong|didn.?t go (so )?well|could (be|have gone) better|could be improved/, 'what_went_wrong'],
  [/lessons/, 'lessons_learned'],
];

/**
 * Reads a Markdown review template: every `## Heading` is a section and the template's own text
 * under it is the section's prompt, generated sections included (shown above what Sitrep writes).
 * The text before the first `##` (a title, instructions for the meeting) is kept as guidance.
 */
export function readReviewTemplate(markdown: string): { guidance: string; sections: TemplateSection[] } {
  const sections: TemplateSection[] = [];
  const used = new Set<string>();
  const preamble: string[] = [];
  let current: { key: string; title: string } | null = null;
  let text: string[] = [];
  let fence: string | null = null;
  const flush = () => {
    if (current) {
      const own = text.join('\n').trim();
      sections.push({ ...current, prompt: own || (writtenSections[current.key]?.prompt ?? generators[current.key]?.prompt ?? null) });
    }
    text = [];
  };
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    // A "## " inside a fenced example is text, not a section.
    const opening = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (opening && opening[0] === fence[0] && opening.length >= fence.length) fence = null;
    } else if (opening) fence = opening;
    const heading = fence || opening ? null : /^##\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) {
      flush();
      const title = heading[1]!.replace(/[*_`]/g, '').trim();
      const lower = title.toLowerCase();
      let key = aliases.find(([pattern]) => pattern.test(lower))?.[1] ?? slug(title);
      if (!key || used.has(key)) key = `${key || 'section'}_${sections.length + 1}`;
      used.add(key);
      current = { key, title };
    } else if (current) {
      text.push(line);
    } else {
      preamble.push(line);
    }
  }
  flush();
  return { guidance: preamble.join('\n').trim(), sections };
}

/** The sections of a review template (see readReviewTemplate). */
export function parseReviewTemplate(markdown: string): TemplateSection[] {
  return readReviewTemplate(markdown).sections;
}

export function defaultTemplateSections(): TemplateSection[] {
  return DEFAULT_TEMPLATE.map((key) => ({ key, title: generators[key]?.title ?? writtenSections[key]!.title, prompt: writtenSections[key]?.prompt ?? generators[key]?.prompt ?? null }));
}

/** The draft: generated sections filled in from the data; written ones empty, their prompt beside them. */
export function generateSections(data: ReviewData, template: TemplateSection[] = defaultTemplateSections()): GeneratedSection[] {
  return template.map((section) => {
    const generator = generators[section.key];
    const prompt = section.prompt ?? null;
    if (generator) return { key: section.key, title: section.title, body: generator.render(data), generated: true, prompt };
    return { key: section.key, title: section.title, body: '', generated: false, prompt: prompt ?? `${section.title}: write this section.` };
  });
}

/**
 * The whole document as Markdown (export, API `markdown`). Sections nobody wrote are left out,
 * never filled with their prompt. The incident's attachments close it, images inline, each at an
 * absolute address so the exported file still shows them (to whoever may read the incident).
 */
export function toMarkdown(title: string, sections: { title: string; body: string }[], attachments: { filename: string; url: string; image: boolean }[] = []): string {
  const written = sections.filter((s) => s.body.trim());
  const files = attachments.map((a) => {
    const label = a.filename.replace(/[[\]\\\r\n]/g, ' ').trim() || 'attachment';
    return a.image ? `- [![${label}](${a.url})](${a.url})` : `- [${label}](${a.url})`;
  });
  const parts = written.map((s) => `## ${s.title}\n\n${s.body.trim()}\n`);
  if (files.length) parts.push(`## Attachments\n\n${files.join('\n')}\n`);
  return `# ${title}\n\n${parts.join('\n')}`;
}

/** The sections whose keys a review must have written before a severity that requires a review lets it be published. */
export const REQUIRED_SECTIONS = ['root_cause'] as const;

/**
 * What stands between a review and publishing: `empty` are sections people write that are still
 * empty (a warning), `missing` what a severity that requires a review insists on (root cause and
 * at least one action item), each named so the person knows what to write.
 */
export function reviewGaps(review: { sections: { key: string; title: string; body: string; generated: boolean }[]; actionItems: number }, reviewRequired: boolean): { empty: string[]; missing: string[] } {
  const empty = review.sections.filter((s) => !s.generated && !s.body.trim()).map((s) => s.title);
  const missing: string[] = [];
  if (reviewRequired) {
    for (const key of REQUIRED_SECTIONS) {
      const section = review.sections.find((s) => s.key === key);
      if (section && !section.body.trim()) missing.push(section.title);
    }
    if (review.actionItems === 0) missing.push('Action items (none yet)');
  }
  return { empty, missing };
}
