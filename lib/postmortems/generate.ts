// The first draft of a review, written from what Sitrep already knows about the incident. Pure
// functions: the data in (loaded by load.ts), Markdown sections out. Sections people write
// (root cause, what went well…) start with a prompt, never with made-up content.
import { formatSpan, utcClock, utcMinute } from '@/lib/platform/time';

export type SectionKey = string;

export type GeneratedSection = { key: SectionKey; title: string; body: string; generated: boolean };

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
  const lines = [`**${i.key}: ${i.title}** · ${i.severity.key} (${i.severity.name}) · ${i.status}`, ''];
  lines.push(i.summary.trim() || '_No summary was written during the incident. Say in two or three sentences what happened and what it meant for users._');
  return lines.join('\n');
}

function impact(d: ReviewData): string {
  const i = d.incident;
  const start = i.times.startedAt ?? i.times.declaredAt;
  const end = i.times.resolvedAt;
  return [
    `- **Customer impact:** ${i.customerImpact ? 'yes' : 'none recorded'}`,
    `- **Affected services:** ${i.services.length ? i.services.join(', ') : 'none recorded'}`,
    `- **Duration:** ${end ? `${formatSpan(end.getTime() - start.getTime())} (${utcMinute(start)} to ${utcMinute(end)})` : `ongoing since ${utcMinute(start)}`}`,
    '',
    '_Describe who was affected and how (errors, slowness, data), and how many._',
  ].join('\n');
}

function keyTimes(d: ReviewData): string {
  const t = d.incident.times;
  const start = t.startedAt ?? t.declaredAt;
  const row = (label: string, at: Date | null) => `| ${label} | ${at ? utcMinute(at) : '—'} |`;
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
  const measure = (label: string, to: Date | null, from: Date) => `- **${label}:** ${to ? formatSpan(to.getTime() - from.getTime()) : 'not reached'}`;
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
    for (const c of d.severityChanges) lines.push(`- ${utcMinute(c.at)}: ${c.from} → ${c.to}${c.by ? ` by ${c.by}` : ''}${c.reason ? ` (${c.reason})` : ''}`);
  }
  return lines.join('\n');
}

function responders(d: ReviewData): string {
  const lines = ['| Role | Held by | Earlier |', '| --- | --- | --- |'];
  for (const role of d.roles) {
    const earlier = d.roleHistory.filter((h) => h.role === role.role).map((h) => `${h.holder} (${utcClock(h.since)}–${utcClock(h.until)})`);
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
  for (const e of key.slice(0, 200)) lines.push(`| ${utcMinute(e.at).replace(' UTC', '')} | ${cell(firstLine(e.body, 200))} | ${e.actor ?? '—'} |`);
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
  for (const r of d.deliveries) lines.push(`| ${utcMinute(r.at).replace(' UTC', '')} | ${cell(r.action)} | ${r.requestedBy ?? '—'} | ${r.status}${r.lastResult ? ` (${cell(r.lastResult)})` : ''} | ${r.attempts} |`);
  return lines.join('\n');
}

function communications(d: ReviewData): string {
  if (!d.updates.length) return '_No status update was posted._';
  const lines = [`${d.updates.filter((u) => u.audience === 'public').length} public and ${d.updates.filter((u) => u.audience === 'internal').length} internal updates.`, ''];
  for (const u of d.updates) lines.push(`- ${utcMinute(u.at)} · ${u.audience}${u.by ? ` · ${u.by}` : ''}: ${firstLine(u.body)}`);
  return lines.join('\n');
}

function actionItems(d: ReviewData): string {
  if (!d.actionItems.length) return '_No action items yet. Add them below the document or select a sentence and choose "Make action item"._';
  const lines = ['| Action item | Owner | Due | Status |', '| --- | --- | --- | --- |'];
  for (const a of d.actionItems) lines.push(`| ${cell(a.url ? `[${a.title}](${a.url})` : a.title)} | ${a.owner ?? '—'} | ${a.dueDate ?? '—'} | ${a.status} |`);
  return lines.join('\n');
}

/** What each generated section says; a template can place them anywhere. */
export const generators: Record<string, { title: string; render: (d: ReviewData) => string }> = {
  summary: { title: 'Summary', render: summary },
  impact: { title: 'Customer impact', render: impact },
  key_times: { title: 'Key times and severity', render: keyTimes },
  responders: { title: 'Responders', render: responders },
  timeline: { title: 'Timeline', render: timeline },
  runbooks: { title: 'Runbook steps', render: runbooks },
  remediation: { title: 'Remediation', render: remediation },
  communications: { title: 'Status updates sent', render: communications },
  action_items: { title: 'Action items', render: actionItems },
};

/** Sections people write, with the prompt they start from. */
export const writtenSections: Record<string, { title: string; prompt: string }> = {
  root_cause: { title: 'Root cause and contributing factors', prompt: '_What caused it, and what made it worse or harder to see? Contributing factors are as important as the trigger._' },
  resolution: { title: 'Resolution', prompt: '_What fixed it, and how was the fix verified?_' },
  what_went_well: { title: 'What went well', prompt: '_What helped: alerts, tools, people, runbook steps._' },
  what_went_wrong: { title: 'What went wrong', prompt: '_What slowed detection, diagnosis or recovery?_' },
  lessons_learned: { title: 'Lessons learned', prompt: '_What will we do differently? Turn each into an action item._' },
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
      sections.push({ ...current, prompt: own || (generators[current.key] ? null : (writtenSections[current.key]?.prompt ?? null)) });
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
  return DEFAULT_TEMPLATE.map((key) => ({ key, title: generators[key]?.title ?? writtenSections[key]!.title, prompt: writtenSections[key]?.prompt ?? null }));
}

/** The draft: generated sections filled in from the data, written ones with their prompt. */
export function generateSections(data: ReviewData, template: TemplateSection[] = defaultTemplateSections()): GeneratedSection[] {
  return template.map((section) => {
    const generator = generators[section.key];
    if (generator) {
      // The template's own words for a section Sitrep writes stay visible above the generated text.
      const prompt = section.prompt?.trim() ? `${section.prompt.trim().split('\n').map((line) => `> ${line}`.trimEnd()).join('\n')}\n\n` : '';
      return { key: section.key, title: section.title, body: `${prompt}${generator.render(data)}`, generated: true };
    }
    return { key: section.key, title: section.title, body: section.prompt ?? `_${section.title}: write this section._`, generated: false };
  });
}

/** The whole document as Markdown (export, API `markdown`). */
export function toMarkdown(title: string, sections: { title: string; body: string }[]): string {
  return `# ${title}\n\n${sections.map((s) => `## ${s.title}\n\n${s.body.trim()}\n`).join('\n')}`;
}
