// Turns a Markdown playbook into runbooks. The document is parsed with remark (CommonMark + GFM +
// front matter; in pieces when it is long, sections.ts) and read as a tree of heading sections:
// - a document (or section) whose sub-headings are its procedure (steps, phases, ordered or
//   plain sections such as "Preparation", "Upgrade", "Roll-back") is one runbook with those
//   sub-sections as phases. It is split only where it holds independent procedures: a heading
//   that names a collection (Scenarios, Alerts, Playbooks…), sub-headings named like alerts
//   (`KubePodCrashLooping`) or prefixed with a severity or "Problem:", or several sub-sections
//   that each hold a procedure of their own;
// - an alert entry is a runbook: Meaning / Impact / Summary go to the description, Diagnosis /
//   Mitigation become phases, "Severity:" / "Message:" / "Runbook:" lines fill its fields, and
//   each row of an alert table (Name | Summary | Severity | Runbook) becomes one;
// - inside a section, bold labels ("**Actions**:", "How to **fix**:") start phases,
//   "**Symptoms**:" and the like feed the description, and "**Templates**:" a reference;
// - steps come from list items (numbered, bulleted, task lists), from a paragraph or sub-heading
//   followed by a code block (the paragraph's first sentence is the title, whatever its length),
//   from numbered comments inside code (`# 1. Check MySQL status`), and, in an action section
//   (Mitigation, Resolution, Fix…) that has no other steps, from its paragraphs;
// - titles keep their Markdown (inline code, links); a step whose only code is one inline
//   command gets it as its command; shell prompts are stripped from transcripts;
// - lists of links (`- [1](https://…)`), "References" / "See also" sections and front matter
//   links become a Links note, not steps;
// - contact tables, escalation chains, severity definitions and templates are kept as reference
//   notes: once per document, on its first runbook, and the others point to it.
import type { Code, Heading, List, ListItem, Paragraph, PhrasingContent, Root, RootContent, Table } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { parse as parseYaml } from 'yaml';
import type { RunbookReference } from '@/lib/runbooks/schema';
import { cleanTitle, splitTimeHint, stripEmoji, stripNumbering, stripPrompts } from './clean';
import { parseMarkdownTree } from './sections';

export type ImportedStep = { title: string; detail: string; command: string | null };
export type ImportedPhase = { title: string; timeBudget: string | null; steps: ImportedStep[] };
export type ImportedRunbook = {
  title: string;
  description: string;
  severities: string[];
  tags: string[];
  phases: ImportedPhase[];
  references: RunbookReference[];
  /** The line of the heading the runbook came from (1-based). */
  line: number;
};

type Section = {
  depth: number;
  title: string;
  heading: Heading | null;
  content: RootContent[];
  children: Section[];
  start: number;
  end: number;
  line: number;
};

const LIMITS = { title: 200, stepTitle: 300, timeBudget: 80, text: 20_000, reference: 50_000, references: 50, phases: 50, steps: 500, tags: 30 };

const PHASE_WORDS = [
  'immediate', 'initial', 'first', 'triage', 'diagnos', 'assess', 'investigat', 'detect', 'identif', 'analy',
  'mitigat', 'contain', 'recover', 'resolv', 'resolution', 'remediat', 'fix', 'restor', 'verif', 'validat',
  'monitor', 'post', 'follow', 'communicat', 'escalat', 'prevent', 'clean', 'short-term', 'long-term', 'next steps',
  'sofort', 'erste', 'diagnose', 'untersuch', 'analyse', 'behebung', 'wiederherstell', 'prüf', 'überprüf',
  'nachbereit', 'maßnahmen', 'massnahmen', 'eindämm', 'kommunikation', 'präventiv', 'verifi', 'lösung',
];

// Sections of one procedure that carry no phase word: preparation, ordinal phases, roll-back.
const PROCEDURE_WORDS = /^(?:pre-?requisites?|preparation|prepar|before (?:you )?(?:start|begin)|pre-?flight|pre-?checks?|checklist|steps?\b|procedure|phase\b|stage\b|roll-?back|roll back|back-?out|revert|undo|upgrade|update|deploy|migrat|execut|perform|run\b|apply|finish|final|complet|wrap|tidy|after\b|verify|test|restart|rollout|switch|cut-?over|failover|fail over|option\b|alternative|workaround|manual|automat)/i;
const ORDINAL = /\b(?:one|two|three|four|five|six|seven|eight|nine|ten|first|second|third|fourth|fifth|sixth|final|last|next)\b/i;

// Sections that hold what to do: prose under them is steps when they have no list or code.
const ACTION_WORDS = /\b(?:mitigat\w*|resol\w*|remediat\w*|fix\w*|repair\w*|recover\w*|restor\w*|workaround|rollback|roll[- ]back|steps?|procedure|what to do|actions?|respond|response|how to (?:fix|resolve|mitigate|investigate|recover|restore|debug|troubleshoot)|investigat\w*|diagnos\w*|troubleshoot\w*|debug\w*|triage)\b/i;

// What an alert is and what it does go to the description; the rest of an alert entry is phases.
const MEANING_WORDS = /^(?:meaning|description|summary|impact|symptoms?|signs?|what (?:this|it) means|understanding the alert|about (?:this|the) alert|overview|context|background|possible causes?|causes?|likely causes?|why (?:this|it) (?:fires|happens)|details|explanation|alert (?:definition|details)|how (?:it|this) works)\b/i;
const DESCRIPTION_LABELS = /^(symptoms?|symptome|indicators?|anzeichen|definition|impact|auswirkung|cause|causes|ursache|when to use|trigger|wann|overview|beschreibung|description|context|hintergrund|note|hinweis|warning|warnung|examples?|beispiele?|meaning|summary|message)\b/i;

// A heading that names a set of independent procedures.
const COLLECTION_WORDS = /\b(?:scenarios?|szenarien|alerts?|alarme?|playbooks?|runbooks?|procedures|checklists|scripts|incident types|common (?:issues|problems|failures|errors|incidents)|known (?:issues|problems)|failure modes|emergenc(?:y|ies) procedures|emergencies|notfälle|problems|probleme|issues)\b/i;
const LINKS_HEADING = /^(?:references?|links?|see also|further reading|more information|related(?: links| documents| docs)?|resources and links|useful links|external links|quellen|weiterführende links)\b/i;

function referenceKind(title: string): RunbookReference['kind'] | null {
  const t = stripEmoji(title).toLowerCase().trim();
  if (LINKS_HEADING.test(t)) return 'links';
  if (/\b(?:template|vorlage)/.test(t)) return /report|post-?mortem|review|bericht|timeline/.test(t) ? 'report_template' : 'message_template';
  if (/\b(?:escalat|eskalation)/.test(t)) return 'escalation';
  if (/\b(?:contacts?\b|kontakt|wallet card|phone list|telefon)/.test(t)) return 'contacts';
  if (/\b(?:severit|schweregrad|priority levels|prioritäten|response times|reaktionszeit|categor|kategorie|classification|klassifi)/.test(t)) return 'severity_table';
  // Broad words only when they are what the heading is about: "Resources" or "Tools and
  // resources", not "kubernetes-resources" (a group of alerts) or "Resources exhausted".
  if (t.split(/\s+/).length <= 5 && /^(?:[\w-]+ (?:and|&) )?(?:overview|übersicht|quick reference|reference card|cheat ?sheet|roles and responsib|responsibilit|zuständigkeit|tools|resources|ressourcen|communication channels|document (?:info|control)|revision history|changelog|glossary)\b/.test(t)) return 'other';
  if (/^(?:tools and resources|roles and responsibilities)$/.test(t)) return 'other';
  return null;
}

/** "1. Detection", "1️⃣ Status-Page", "Step 2: …": a numbered heading. */
function isNumbered(title: string): boolean {
  return /^(?:\d+\s*[.):]|(?:step|schritt|phase|stage)\s+\d)/i.test(stripEmoji(title));
}

function isPhaseLike(title: string): boolean {
  if (isNumbered(title) || splitTimeHint(cleanTitle(title)).timeBudget) return true;
  const words = stripNumbering(cleanTitle(title)).toLowerCase();
  return PHASE_WORDS.some((word) => words.startsWith(word));
}

const ACTION_PART = /\b(?:mitigat|resol|remediat|fix|repair|recover|restor|workaround|rollback|roll[- ]back|diagnos|investigat|troubleshoot|debug|triage|verif|validat)/i;

/** A sub-heading that reads as part of one procedure rather than a procedure of its own. */
function isProcedurePart(title: string): boolean {
  const words = stripNumbering(cleanTitle(title));
  return isPhaseLike(title) || PROCEDURE_WORDS.test(words) || (/^(?:phase|stage|part|step)\b/i.test(words) && ORDINAL.test(words)) || MEANING_WORDS.test(words) || ACTION_PART.test(words);
}

/** `KubePodCrashLooping`, `Alert: HighErrorRate`, `CortexIngesterRestarts`: an alert's name. */
function isAlertName(title: string): boolean {
  const t = cleanTitle(title).replace(/^`|`$/g, '');
  return /^(?:alert(?: name)?\s*:\s*)\S/i.test(t) || /^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*){2,}$/.test(t) || /^[a-z][a-z0-9]*(?:_[a-z0-9]+){2,}$/.test(t);
}

const SEVERITY_WORDS: [RegExp, string][] = [
  [/^(?:critical|crit|page|emergency|fatal|p0|sev-?1|disaster|kritisch)$/i, 'SEV1'],
  [/^(?:high|major|error|p1|sev-?2|hoch)$/i, 'SEV2'],
  [/^(?:warning|warn|medium|moderate|minor|average|p2|sev-?3|mittel)$/i, 'SEV3'],
  [/^(?:info|informational|low|notice|none|p3|p4|sev-?4|niedrig)$/i, 'SEV4'],
];

/** "critical" → SEV1, "warning" → SEV3 (the `severity` label of alerting rules). */
export function severityFromLabel(value: string): string | null {
  const word = value.trim().replace(/[`*_"']/g, '').split(/[\s,/]+/)[0] ?? '';
  return SEVERITY_WORDS.find(([pattern]) => pattern.test(word))?.[1] ?? null;
}

function severitiesOf(title: string): string[] | null {
  const t = stripEmoji(title);
  const sev = /\bSEV[-\s]?([0-9])\b/i.exec(t);
  if (sev) return [`SEV${Math.max(1, Number(sev[1]))}`];
  const p = /^\s*P([0-4])\b/.exec(t);
  if (p) return [`SEV${Number(p[1]) + 1}`];
  // "CRITICAL: Database Corruption", not "High Memory Usage"
  if (/^\s*(critical|kritisch)\s*[:–—-]/i.test(t) || /^\s*(rote?|red)\s+zone\b/i.test(t)) return ['SEV1'];
  if (/^\s*(high|hoch)\s*[:–—-]/i.test(t) || /^\s*(gelbe?|yellow)\s+zone\b/i.test(t)) return ['SEV2'];
  if (/^\s*(medium|mittel)\s*[:–—-]/i.test(t) || /^\s*(grüne?|green)\s+zone\b/i.test(t)) return ['SEV3'];
  if (/^\s*(low|niedrig)\s*[:–—-]/i.test(t)) return ['SEV4'];
  return null;
}

/** A heading that makes its section a procedure of its own among siblings. */
function isIndependentTitle(title: string): boolean {
  const t = stripEmoji(title);
  return severitiesOf(t) !== null || isAlertName(t) || /^\s*(?:problem|scenario|szenario|issue|incident|fehler|störung|case|fall)\s*\d*\s*[:–—-]/i.test(t);
}

function clip(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1).trimEnd()}…` : value;
}

/** Removes the indentation common to all non-blank lines (list item bodies keep their indent in the source). */
function dedent(text: string): string {
  const lines = text.split('\n');
  const indents = lines.slice(1).filter((line) => line.trim()).map((line) => /^ */.exec(line)![0].length);
  const common = indents.length ? Math.min(...indents) : 0;
  return [lines[0], ...lines.slice(1).map((line) => line.slice(Math.min(common, /^ */.exec(line)![0].length)))].join('\n').trim();
}

// `(\S.*)$` then trimEnd, not `(\S.*?)\s*$`: the lazy form is quadratic on a long run of spaces.
const NUMBERED_COMMENT = /^\s*(?:#|\/\/|--)\s*(\d+)[.)]\s+(\S.*)$/;

/** Splits a code block on `# 1. …` comments; null when it has none. */
export function splitNumberedCode(code: string): { preamble: string; steps: { title: string; command: string | null }[] } | null {
  const lines = code.split('\n');
  const marks = lines.flatMap((line, index) => {
    const match = NUMBERED_COMMENT.exec(line);
    return match ? [{ index, number: Number(match[1]), title: match[2]!.trimEnd() }] : [];
  });
  if (marks.length === 0 || marks[0]!.number !== 1) return null;
  const preamble = lines
    .slice(0, marks[0]!.index)
    .filter((line) => !line.startsWith('#!'))
    .join('\n')
    .trim();
  const steps = marks.map((mark, i) => {
    const body = lines.slice(mark.index + 1, marks[i + 1]?.index ?? lines.length).join('\n').replace(/^\s*\n/, '').trimEnd();
    return { title: cleanTitle(mark.title, LIMITS.stepTitle), command: body.trim() ? body : null };
  });
  return { preamble, steps };
}

type Definition = { url: string; title: string | null };
type Context = { text: string; definitions: Map<string, Definition> };

function raw(ctx: Context, node: RootContent): string {
  const position = node.position;
  return position ? dedent(ctx.text.slice(position.start.offset, position.end.offset)) : toString(node);
}

const BACKTICKS = /`+/g;

/** Inline Markdown for titles: inline code and links kept, emphasis dropped, references resolved. */
export function inlineMarkdown(ctx: Context, nodes: PhrasingContent[]): string {
  let out = '';
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        out += node.value;
        break;
      case 'inlineCode': {
        const longest = Math.max(0, ...(node.value.match(BACKTICKS) ?? []).map((run) => run.length));
        const fence = '`'.repeat(longest + 1);
        out += longest ? `${fence} ${node.value} ${fence}` : `${fence}${node.value}${fence}`;
        break;
      }
      case 'link': {
        const label = inlineMarkdown(ctx, node.children).trim();
        // A bare URL or e-mail address in the text (a GFM autolink) stays as it was written.
        const written = node.position ? ctx.text.slice(node.position.start.offset, node.position.end.offset) : null;
        out += !label || label === node.url || written === label ? (written === label ? label : node.url) : `[${label}](${node.url})`;
        break;
      }
      case 'linkReference': {
        const label = inlineMarkdown(ctx, node.children).trim();
        const target = ctx.definitions.get(node.identifier.toLowerCase());
        out += target ? `[${label || node.identifier}](${target.url})` : label;
        break;
      }
      case 'image':
      case 'imageReference':
        out += node.alt ?? '';
        break;
      case 'break':
        out += ' ';
        break;
      case 'html':
        break;
      default:
        if ('children' in node) out += inlineMarkdown(ctx, node.children as PhrasingContent[]);
        else if ('value' in node) out += String(node.value);
    }
  }
  return out;
}

function inlineCodes(nodes: PhrasingContent[]): string[] {
  const found: string[] = [];
  const visit = (list: PhrasingContent[]) => {
    for (const node of list) {
      if (node.type === 'inlineCode') found.push(node.value);
      else if ('children' in node) visit(node.children as PhrasingContent[]);
    }
  };
  visit(nodes);
  return found;
}

/** `kubectl -n $NAMESPACE logs …`, `sysctl -w vm.max_map_count=…`: a command, not a name or a path. */
export function looksLikeCommand(code: string): boolean {
  const trimmed = code.trim();
  if (!/\s/.test(trimmed) || trimmed.length < 5) return false;
  const first = trimmed.split(/\s+/)[0]!;
  return /^(?:sudo|[a-z][a-z0-9_.+-]*|\.{0,2}\/[\w./-]+)$/.test(first) && !/^(?:a|an|the|and|or|to|of|in|is|if|for|with|on|at|by|from|this|that)$/i.test(first);
}

const IMPERATIVE = /^(?:(?:then|now|next|first|finally|also|please|if needed|if necessary),?\s+|(?:to|if|when|once|after|before|in order to|in case|for)\b[^,.;:!?]{1,150},\s*(?:then\s+)?)?(?:add|apply|ask|assess|audit|back ?up|call|cancel|change|check|clean|clear|click|close|compare|configure|confirm|connect|consider|contact|copy|cordon|create|decrease|delete|deploy|describe|determine|disable|download|drain|drop|edit|enable|ensure|escalate|examine|execute|export|find|fix|flush|follow|force|forget|get|go|grant|identify|increase|inform|inspect|install|investigate|isolate|kill|list|log ?in|login|look|make|mark|merge|modify|monitor|move|navigate|notify|open|page|pause|ping|post|promote|pull|purge|push|query|raise|re-?run|reboot|recreate|redeploy|reduce|refresh|reload|remove|rename|repeat|replace|reset|resize|restart|restore|resume|retry|revert|review|revoke|roll ?back|rotate|run|scale|search|select|send|set|shut|ssh|start|stop|suspend|switch|take|tell|terminate|test|trigger|try|turn|uncordon|update|upgrade|upload|use|validate|verify|visit|wait|watch|write)\b/i;

/** "Check CloudTrail for…", "Try allocating more storage": a sentence that tells the reader to act. */
export function isImperative(sentence: string): boolean {
  return IMPERATIVE.test(sentence.replace(/^[\s*_>`-]+/, ''));
}

/** `LAST SEEN   TYPE …`, `err="…"`, JSON, log lines: what a command printed, not a command. */
export function looksLikeOutput(code: string): boolean {
  const first = code.split('\n').find((line) => line.trim())?.trim() ?? '';
  return /^[A-Z][A-Z0-9_ -]{1,30}\s{2,}[A-Z]/.test(first) || /^[A-Z]{4,5}\[\d+\]/.test(first) || /^(?:-\w,\s+)?--[\w-]+(?:\s+\w+)?\s{2,}\S/.test(first) || /^[a-z_]+=["']/.test(first) || /^[{[]/.test(first) || /^\d{4}-\d\d-\d\d[ T]/.test(first) || /^(?:error|warning|info|debug|fatal)\b\s*[:[]/i.test(first) || /^(?:no resources found|name\s{2,}|ok\b)/i.test(first);
}

const OUTPUT_LEAD = /\b(?:looks? like|output|you (?:should|will) see|returns?|response|results? in|prints?|example (?:error|output|response))\b/i;

const SENTENCE_END = /^(.{10,280}?[.!?])\s+(?=\S)/s;

/** The first sentence as a title, the rest as detail: "Check the ring. Then forget it." */
function splitSentence(text: string): { title: string; rest: string } {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= LIMITS.stepTitle && !SENTENCE_END.test(flat)) return { title: flat, rest: '' };
  const match = SENTENCE_END.exec(flat);
  if (match && match[1]!.length <= LIMITS.stepTitle) return { title: match[1]!, rest: flat.slice(match[0].length).trim() };
  return { title: clip(flat, LIMITS.stepTitle), rest: flat.length > LIMITS.stepTitle ? flat : '' };
}

/** Removes emphasis markers left in a title ("**Verify outage:**" → "Verify outage"). */
function plainTitle(text: string, max = LIMITS.stepTitle): string {
  return cleanTitle(text.replace(/(\*\*|__)(.+?)\1/g, '$2').replace(/\s+/g, ' '), max);
}

/** A paragraph that is only bold text: "**Actions**:" → label "Actions"; "**Definition**: rest" → with rest. */
function labelOf(paragraph: Paragraph): { text: string; rest: string; colon: boolean } | null {
  const [first, ...others] = paragraph.children;
  if (!first || first.type !== 'strong') return null;
  const rest = others.map((node) => toString(node)).join('');
  const strong = toString(first).trim();
  const colon = strong.endsWith(':') || rest.trimStart().startsWith(':');
  const restText = rest.replace(/^\s*:\s*/, '').trim();
  if (!restText && !colon) return { text: strong, rest: '', colon: false };
  return { text: strong.replace(/:$/, '').trim(), rest: restText, colon };
}

/** "How to **fix**:", "To investigate:" before a list: a label that starts a phase. */
function actionLabelOf(paragraph: Paragraph): string | null {
  const text = toString(paragraph).replace(/\s+/g, ' ').trim();
  if (!text.endsWith(':') || text.split(' ').length > 6) return null;
  const words = text.slice(0, -1).trim();
  if (!/^(?:how to|to|steps to|in order to)?\s*(?:fix|resolve|mitigate|investigate|diagnose|debug|troubleshoot|recover|restore|remediate|check|verify)\b/i.test(words)) return null;
  const verb = words.replace(/^(?:how to|to|steps to|in order to)\s+/i, '');
  return verb.charAt(0).toUpperCase() + verb.slice(1);
}

const FIELD_LINE = /^\s*(?:\*\*|__)?([A-Za-z][A-Za-z _-]{1,28}?)(?:\*\*|__)?\s*:(?:\*\*|__)?\s+(\S.*)$/;
const FIELD_NAMES = /^(?:severity|priority|level|message|summary|description|meaning|impact|runbook(?: url)?|runbook_url|playbook|dashboard|documentation|docs|link|links|source|expr|expression|query|for|duration|labels?|team|owner|component|service|alert(?: ?name)?|group|annotations?)$/i;

/** "Severity: critical\nMessage: …\nRunbook: [Link](…)": the fields of an alert, one per line. */
function fieldsOf(ctx: Context, paragraph: Paragraph): { name: string; value: string }[] | null {
  const source = raw(ctx, paragraph as RootContent);
  const lines = source.split('\n').filter((line) => line.trim());
  const fields = lines.map((line) => FIELD_LINE.exec(line));
  if (!fields.length || fields.some((field) => !field) || !fields.some((field) => FIELD_NAMES.test(field![1]!.trim()))) return null;
  if (fields.filter((field) => FIELD_NAMES.test(field![1]!.trim())).length < Math.min(2, fields.length)) return null;
  return fields.map((field) => ({ name: field![1]!.trim().toLowerCase(), value: field![2]!.trim() }));
}

/** The link an item consists of (`- [Dashboard](https://…)`, `- https://…`), or null. */
function onlyLink(item: ListItem): PhrasingContent | null {
  if (item.children.length !== 1 || item.children[0]!.type !== 'paragraph') return null;
  const parts = (item.children[0] as Paragraph).children.filter((node) => !(node.type === 'text' && !node.value.trim()));
  return parts.length === 1 && (parts[0]!.type === 'link' || parts[0]!.type === 'linkReference') ? parts[0]! : null;
}

/** `- [1](https://…)`: a footnote-style reference (a number or the URL itself as its text). */
function isFootnoteLink(item: ListItem): boolean {
  const link = onlyLink(item);
  if (!link) return false;
  const text = toString(link).trim();
  return /^\^?\d{1,3}$/.test(text) || (link.type === 'link' && (text === link.url || /^https?:\/\//.test(text)));
}

/**
 * "`green` - all shards are allocated", "General guidance: 24 hours": a list of terms and what
 * they mean is reference, not steps (unless an item tells the reader to do something).
 */
function isDefinitionList(list: List): boolean {
  return (
    list.children.length >= 2 &&
    list.children.every((item) => {
      const first = item.children[0];
      if (!first || first.type !== 'paragraph' || (item.checked !== null && item.checked !== undefined)) return false;
      const text = toString(first).replace(/\s+/g, ' ').trim();
      const match = /^(.{1,40}?)\s*(?:\s[-–—]\s|:\s)\s*(\S.*)$/.exec(text);
      if (!match || isImperative(text) || isImperative(match[2]!)) return false;
      // A code term ("`green` - …") or a short value ("24 hours"): reference. "Detection time - When
      // was it detected?" stays a checklist item.
      const codeTerm = first.children[0]?.type === 'inlineCode';
      const value = match[2]!.split(' ').length <= 4 && /\d/.test(match[2]!);
      return (codeTerm || value) && !match[2]!.trim().endsWith('?');
    })
  );
}

/** A list of links only: references, not steps. */
function isLinkList(list: List): boolean {
  return list.children.length > 0 && list.children.every((item) => onlyLink(item) !== null);
}

type Mode = { kind: 'steps' } | { kind: 'description' } | { kind: 'reference'; reference: RunbookReference };

class RunbookBuilder {
  phases: ImportedPhase[] = [];
  description: string[] = [];
  references: RunbookReference[] = [];
  links: string[] = [];
  severities: string[] = [];
  /** Phases started from numbered headings ("1️⃣ Status-Page aktualisieren"). */
  numberedPhases = 0;
  /** Imperative paragraphs ("Notify the team…", "To publish them, run …") are steps even between other steps. */
  imperativeProse = true;
  /** Paragraphs of action phases, kept in case the phase ends up with no other step. */
  private prose = new Map<ImportedPhase, string[]>();
  private actionPhase = false;
  private phase: ImportedPhase | null = null;
  /** Phases Sitrep opened itself ("Steps"), not named by the document. */
  private implicit = new WeakSet<ImportedPhase>();
  private pending: { title: string; rest: string } | null = null;
  private pendingIsHeading = false;
  private mode: Mode = { kind: 'steps' };

  constructor(
    private readonly ctx: Context,
    private readonly sectionTitle: string,
  ) {}

  get stepCount(): number {
    return this.phases.reduce((sum, phase) => sum + phase.steps.length, 0) + [...this.prose.values()].reduce((sum, list) => sum + list.length, 0);
  }

  startPhase(title: string, timeBudget: string | null) {
    this.phase = { title: clip(title || 'Steps', LIMITS.title), timeBudget: timeBudget ? clip(timeBudget, LIMITS.timeBudget) : null, steps: [] };
    this.phases.push(this.phase);
    this.pending = null;
    this.mode = { kind: 'steps' };
    this.actionPhase = ACTION_WORDS.test(title);
  }

  private startImplicitPhase() {
    this.startPhase('Steps', null);
    this.implicit.add(this.phase!);
  }

  /** A sub-heading inside a phase names the next code block, like a paragraph would. */
  subHeading(title: string) {
    this.mode = { kind: 'steps' };
    this.pending = { title: plainTitle(title), rest: '' };
    this.pendingIsHeading = true;
  }

  /** Text under an alert's Meaning / Impact heading. */
  describe() {
    this.mode = { kind: 'description' };
  }

  addReference(reference: RunbookReference) {
    if (reference.kind === 'links') {
      this.links.push(reference.markdown);
      return;
    }
    this.references.push({ ...reference, markdown: clip(reference.markdown, LIMITS.reference) });
  }

  private addStep(step: ImportedStep) {
    if (!this.phase) this.startImplicitPhase();
    if (this.prose.has(this.phase!)) this.settleProse(this.phase!, false);
    const detail = [...this.pendingExplanations.splice(0), step.detail].filter(Boolean).join('\n\n');
    this.phase!.steps.push({ title: clip(step.title, LIMITS.stepTitle), detail: clip(detail, LIMITS.text), command: step.command === null ? null : clip(step.command, LIMITS.text) });
  }

  private fallbackTitle(): string {
    return this.phase?.title ?? cleanTitle(this.sectionTitle, LIMITS.stepTitle);
  }

  /** Text that is not a step: the description until the first step, then the previous step's details. */
  private note(markdown: string) {
    if (!markdown.trim()) return;
    if (this.mode.kind === 'reference') {
      this.mode.reference.markdown += `\n\n${markdown}`;
      return;
    }
    // Prose right under a sub-heading of a phase ("#### Logging" › "Access to logs is detailed in
    // …"): that sub-section is a step of its own, named by its heading. Appended to the step
    // before, it would vanish into another sub-section's details and lose its heading.
    if (this.mode.kind === 'steps' && this.phase && this.pending && this.pendingIsHeading && !/^\s*(?:[>|]|<)/.test(markdown)) {
      const title = this.pending.title;
      this.pending = null;
      this.pendingIsHeading = false;
      this.addStep({ title, detail: markdown, command: null });
      this.lastStepOpen = false;
      return;
    }
    if (this.mode.kind === 'steps' && !this.phase && this.imperativeProse && isImperative(markdown) && !/^\s*(?:[>|]|<)/.test(markdown)) this.startImplicitPhase();
    if (this.mode.kind === 'steps' && this.phase && this.phase.steps.length === 0 && (this.actionPhase || this.prose.has(this.phase) || isImperative(markdown))) {
      const list = this.prose.get(this.phase) ?? [];
      list.push(markdown);
      this.prose.set(this.phase, list);
      return;
    }
    // "Notify the team in #ops that the upgrade is starting." between other steps: a step too.
    if (this.mode.kind === 'steps' && this.phase && this.phase.steps.length > 0 && this.imperativeProse && isImperative(markdown) && !/^\s*(?:[>|]|<)/.test(markdown)) {
      const { title, rest } = splitSentence(plainTitle(markdown, 100_000));
      this.addStep({ title, detail: rest, command: null });
      this.lastStepOpen = false;
      return;
    }
    const last = this.phases.at(-1)?.steps.at(-1);
    if (!last || this.mode.kind === 'description') this.description.push(markdown);
    else last.detail = last.detail ? `${last.detail}\n\n${markdown}` : markdown;
  }

  private flushPending() {
    if (this.pending && !this.pendingIsHeading) this.note([this.pending.title, this.pending.rest].filter(Boolean).join(' '));
    this.pending = null;
    this.pendingIsHeading = false;
  }

  /** Whether the last node walked left a step that a following code block belongs to. */
  lastStepOpen = false;
  /** Steps whose text ends with a colon: they announce the code block after them. */
  private announcing = new WeakSet<ImportedStep>();

  private addCode(code: Code) {
    const last = this.phases.at(-1)?.steps.at(-1);
    if (!this.pending && last && this.lastStepOpen) {
      // Output printed by the step before ("LAST SEEN  TYPE …"), or the command a list item announced ("…using the CLI:").
      if (looksLikeOutput(code.value)) {
        last.detail = [last.detail, `Output:\n\n\`\`\`\n${code.value.trimEnd()}\n\`\`\``].filter(Boolean).join('\n\n');
        return;
      }
      if (last.command === null && this.announcing.has(last)) {
        last.command = clip(stripPrompts(code.value, code.lang ?? null).command.trimEnd(), LIMITS.text);
        return;
      }
    }
    // "Response JSON from the endpoint looks like:" + JSON: an example of output, not a command.
    if (this.pending && !this.pendingIsHeading && OUTPUT_LEAD.test(`${this.pending.title} ${this.pending.rest}`) && looksLikeOutput(code.value)) {
      this.flushPending();
      this.note(raw(this.ctx, code as RootContent));
      return;
    }
    const title = this.pending?.title ?? this.fallbackTitle();
    const lead = this.pending?.rest ?? '';
    this.pending = null;
    this.pendingIsHeading = false;
    const { command: value, output } = stripPrompts(code.value, code.lang ?? null);
    const split = splitNumberedCode(value);
    const outputDetail = output ? `Output:\n\n\`\`\`\n${output}\n\`\`\`` : '';
    if (!split) {
      if (value.trim()) this.addStep({ title, detail: [lead, outputDetail].filter(Boolean).join('\n\n'), command: value.trimEnd() });
      else if (code.value.trim()) this.note(raw(this.ctx, code as RootContent));
      return;
    }
    let detail = lead;
    if (split.preamble) {
      const commentsOnly = split.preamble.split('\n').every((line) => !line.trim() || line.trimStart().startsWith('#'));
      if (commentsOnly) detail = [lead, split.preamble.split('\n').map((line) => line.replace(/^\s*#\s?/, '')).join('\n').trim()].filter(Boolean).join('\n\n');
      else this.addStep({ title, detail: lead, command: split.preamble });
    }
    split.steps.forEach((step, i) => this.addStep({ title: step.title, detail: i === 0 ? detail : '', command: step.command }));
  }

  private addListItem(item: ListItem) {
    const [first, ...rest] = item.children;
    const commands: string[] = [];
    const details: string[] = [];
    let title = '';
    let inline: string[] = [];
    if (first?.type === 'paragraph') {
      const text = plainTitle(inlineMarkdown(this.ctx, first.children), 10_000);
      inline = inlineCodes(first.children);
      if (text.length > LIMITS.stepTitle) {
        const { title: sentence } = splitSentence(text);
        title = sentence;
        details.push(raw(this.ctx, first));
      } else title = text;
    } else if (first) {
      rest.unshift(first);
    }
    for (const child of rest) {
      if (child.type === 'code') commands.push(stripPrompts(child.value, child.lang ?? null).command.trimEnd());
      else details.push(raw(this.ctx, child));
    }
    if (!title) title = commands.length ? this.fallbackTitle() : '';
    if (!title) return;
    // "Check the pods: `kubectl get pods -n x`": the one inline command is the step's command.
    if (!commands.length && inline.length === 1 && looksLikeCommand(inline[0]!)) commands.push(inline[0]!.trim());
    this.addStep({ title, detail: details.join('\n\n'), command: commands.length ? commands.join('\n\n') : null });
    if (!commands.length && /:\s*$/.test(toString(item))) this.announcing.add(this.phase!.steps.at(-1)!);
  }

  private addFields(fields: { name: string; value: string }[]) {
    for (const { name, value } of fields) {
      if (/^(?:severity|priority|level)$/.test(name)) {
        const severity = severityFromLabel(value);
        if (severity) this.severities.push(severity);
        else this.description.push(`**${name[0]!.toUpperCase()}${name.slice(1)}:** ${value}`);
      } else if (/^(?:runbook(?: url)?|runbook_url|playbook|dashboard|documentation|docs|links?|source)$/.test(name)) {
        this.links.push(`- ${name[0]!.toUpperCase()}${name.slice(1)}: ${value}`);
      } else this.description.push(`**${name[0]!.toUpperCase()}${name.slice(1)}:** ${value}`);
    }
  }

  walk(nodes: RootContent[]) {
    nodes.forEach((node, i) => {
      const next = nodes[i + 1];
      const open = node.type === 'code' || node.type === 'list';
      this.visit(node, next);
      this.lastStepOpen = open && this.mode.kind === 'steps';
    });
  }

  private visit(node: RootContent, next: RootContent | undefined) {
    {
      switch (node.type) {
        case 'paragraph': {
          const label = labelOf(node);
          if (label && label.colon && !label.rest) {
            this.flushPending();
            const kind = referenceKind(label.text);
            if (kind && kind !== 'other' && kind !== 'links') {
              const reference: RunbookReference = { kind, title: clip(cleanTitle(`${cleanTitle(this.sectionTitle)} — ${label.text}`), LIMITS.title), markdown: '' };
              this.references.push(reference);
              this.mode = { kind: 'reference', reference };
            } else if (DESCRIPTION_LABELS.test(cleanTitle(label.text)) || MEANING_WORDS.test(cleanTitle(label.text))) {
              this.mode = { kind: 'description' };
              this.description.push(raw(this.ctx, node));
            } else {
              const { title, timeBudget } = splitTimeHint(cleanTitle(label.text));
              this.startPhase(stripNumbering(title), timeBudget);
            }
            return;
          }
          const action = next?.type === 'list' ? actionLabelOf(node) : null;
          if (action) {
            this.flushPending();
            this.startPhase(action, null);
            return;
          }
          const fields = fieldsOf(this.ctx, node);
          if (fields) {
            this.flushPending();
            this.addFields(fields);
            return;
          }
          if (label && label.rest) {
            this.note(raw(this.ctx, node));
            return;
          }
          if (this.mode.kind !== 'reference' && next?.type === 'code') {
            // A lead-in of any length names the code after it: its first sentence is the title.
            const text = plainTitle(inlineMarkdown(this.ctx, node.children), 10_000);
            this.flushPending();
            this.mode = { kind: 'steps' };
            this.pending = splitSentence(text);
            this.pendingIsHeading = false;
            return;
          }
          this.note(raw(this.ctx, node));
          return;
        }
        case 'code':
          if (this.mode.kind === 'reference') this.note(raw(this.ctx, node));
          else {
            this.mode = { kind: 'steps' };
            this.addCode(node);
          }
          return;
        case 'list':
          if (isLinkList(node as List)) {
            this.links.push(raw(this.ctx, node));
            return;
          }
          if (isDefinitionList(node as List)) {
            this.flushPending();
            this.note(raw(this.ctx, node));
            return;
          }
          if (this.mode.kind !== 'steps') {
            this.note(raw(this.ctx, node));
            return;
          }
          // A sub-heading over a list is structure, not content; a lead-in paragraph is kept.
          if (this.pendingIsHeading) this.pending = null;
          this.flushPending();
          for (const item of (node as List).children) {
            if (isFootnoteLink(item)) this.links.push(`- ${raw(this.ctx, item.children[0] as RootContent)}`);
            else this.addListItem(item);
          }
          return;
        case 'table':
        case 'blockquote':
          this.note(raw(this.ctx, node));
          return;
        default:
          return;
      }
    }
  }

  /** A sub-section of prose only ("Current fix: You'll need to delete the TXT record…"): one step. */
  proseStep(section: Section): boolean {
    const paragraphs = section.content.filter((node): node is Paragraph => node.type === 'paragraph');
    if (!paragraphs.length || section.children.length || paragraphs.length !== section.content.filter((node) => node.type !== 'html').length) return false;
    const text = paragraphs.map((p) => plainTitle(inlineMarkdown(this.ctx, p.children), 100_000)).join(' ');
    if (!ACTION_WORDS.test(cleanTitle(section.title)) && !isImperative(text)) return false;
    this.addStep({ title: plainTitle(cleanTitle(section.title)), detail: paragraphs.map((p) => raw(this.ctx, p)).join('\n\n'), command: null });
    this.lastStepOpen = false;
    return true;
  }

  /** Walks a section's content and its sub-sections as one run of steps. */
  walkFlattened(section: Section) {
    this.walk(section.content);
    for (const child of section.children) {
      const kind = referenceKind(child.title);
      if (kind) this.addReference(sectionReference(this.ctx, child, kind));
      else if (MEANING_WORDS.test(cleanTitle(child.title)) && !this.phases.length) {
        this.describe();
        this.walkFlattened(child);
        this.mode = { kind: 'steps' };
      } else if (!this.proseStep(child)) {
        this.subHeading(child.title);
        this.walkFlattened(child);
      }
    }
  }

  /**
   * Paragraphs kept aside in a phase become steps: the imperative ones ("To publish them, run the
   * Rake task.") always, the others only in an action phase that has no other step (a prose-only
   * "Mitigation"); otherwise they explain the step after them (or before them).
   */
  private settleProse(phase: ImportedPhase, final: boolean) {
    const paragraphs = this.prose.get(phase) ?? [];
    this.prose.delete(phase);
    // A phase the document named for action ("Mitigation"), not the "Steps" Sitrep opened itself.
    const proseOnly = final && phase.steps.length === 0 && ACTION_WORDS.test(phase.title) && !this.implicit.has(phase);
    const explanations: string[] = [];
    for (const paragraph of paragraphs) {
      // A list or table kept as prose (a definition list of response times) explains; it is no step.
      const structured = /^\s*(?:[-*+]|\d+[.)]|\|)\s/.test(paragraph);
      if (structured || (!isImperative(paragraph) && !(proseOnly && !(/:\s*$/.test(paragraph) && paragraphs.length > 1)))) {
        explanations.push(paragraph);
        continue;
      }
      const { title, rest } = splitSentence(plainTitle(paragraph, 100_000));
      phase.steps.push({ title, detail: [...explanations.splice(0), rest].filter(Boolean).join('\n\n'), command: null });
    }
    if (!explanations.length) return;
    const last = phase.steps.at(-1);
    if (last && final) last.detail = [last.detail, ...explanations].filter(Boolean).join('\n\n');
    else if (!final) this.pendingExplanations.push(...explanations);
    else this.description.push(...explanations);
  }

  /** Explanations waiting for the next step of their phase. */
  private pendingExplanations: string[] = [];

  /** Drops empty phases; when every phase holds a single step, they were steps all along. */
  finish(): ImportedPhase[] {
    for (const phase of [...this.prose.keys()]) this.settleProse(phase, true);
    let phases = this.phases.filter((phase) => phase.steps.length > 0);
    if (this.numberedPhases === this.phases.length && phases.length >= 2 && phases.every((phase) => phase.steps.length === 1)) {
      phases = [
        {
          title: 'Steps',
          timeBudget: null,
          steps: phases.map((phase) => ({ ...phase.steps[0]!, title: clip(phase.timeBudget ? `${phase.title} (${phase.timeBudget})` : phase.title, LIMITS.stepTitle) })),
        },
      ];
    }
    return phases.slice(0, LIMITS.phases).map((phase) => ({ ...phase, steps: phase.steps.slice(0, LIMITS.steps) }));
  }
}

/** "5. Communication" holding "Internal Communication Template" is a template section too. */
function inferredKind(section: Section): RunbookReference['kind'] {
  const kinds = new Set<RunbookReference['kind']>();
  const visit = (s: Section) => {
    for (const node of s.content) {
      if (node.type === 'paragraph') {
        const label = labelOf(node);
        const kind = label ? referenceKind(label.text) : null;
        if (kind && kind !== 'other') kinds.add(kind);
      }
    }
    for (const child of s.children) {
      const kind = referenceKind(child.title);
      if (kind && kind !== 'other') kinds.add(kind);
      else visit(child);
    }
  };
  visit(section);
  return kinds.size === 1 ? [...kinds][0]! : 'other';
}

function sectionReference(ctx: Context, section: Section, given: RunbookReference['kind']): RunbookReference {
  const kind = given === 'other' ? inferredKind(section) : given;
  return { kind, title: clip(cleanTitle(section.title) || 'Notes', LIMITS.title), markdown: clip(ctx.text.slice(section.heading?.position?.end.offset ?? section.start, section.end).trim(), LIMITS.reference) };
}

function buildTree(root: Root, text: string, rootTitle: string): Section {
  const top: Section = { depth: 0, title: rootTitle, heading: null, content: [], children: [], start: 0, end: text.length, line: 1 };
  const stack: Section[] = [top];
  for (const node of root.children) {
    if (node.type === 'heading') {
      const start = node.position?.start.offset ?? 0;
      while (stack.length > 1 && stack.at(-1)!.depth >= node.depth) stack.pop()!.end = start;
      const section: Section = { depth: node.depth, title: toString(node).replace(/\s+/g, ' ').trim(), heading: node, content: [], children: [], start, end: text.length, line: node.position?.start.line ?? 1 };
      stack.at(-1)!.children.push(section);
      stack.push(section);
    } else if (node.type !== 'yaml' && node.type !== 'definition') {
      stack.at(-1)!.content.push(node);
    }
  }
  for (const section of stack.slice(1)) section.end = Math.min(section.end, text.length);
  return top;
}

type FrontMatter = { title: string | null; tags: string[]; links: string[]; severity: string | null };

const asStrings = (value: unknown): string[] => (Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : []).filter((v): v is string => typeof v === 'string').map((v) => v.trim()).filter(Boolean);

/** YAML front matter: `title`, `tags`/`labels`/`keywords`, links and `severity`. Invalid YAML is ignored. */
function readFrontMatter(root: Root): FrontMatter {
  const node = root.children.find((child) => child.type === 'yaml');
  const empty: FrontMatter = { title: null, tags: [], links: [], severity: null };
  if (!node || node.type !== 'yaml') return empty;
  let data: unknown;
  try {
    // Hand-written front matter repeats keys now and then; the last one wins instead of losing the title.
    data = parseYaml(node.value, { maxAliasCount: 10, uniqueKeys: false });
  } catch {
    return empty;
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return empty;
  const record = data as Record<string, unknown>;
  const title = typeof record.title === 'string' ? record.title : typeof record.name === 'string' ? record.name : null;
  const tags = [...asStrings(record.tags), ...asStrings(record.labels), ...asStrings(record.keywords), ...asStrings(record.categories)];
  const links: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (!/(?:^links?$|url$|^runbook|^dashboard|^playbook|^docs?$|^documentation$)/i.test(key)) continue;
    for (const entry of Array.isArray(value) ? value : [value]) {
      if (typeof entry === 'string' && /^https?:\/\//.test(entry.trim())) links.push(`- ${key}: ${entry.trim()}`);
      else if (entry && typeof entry === 'object') {
        const { url, title: label, name } = entry as Record<string, unknown>;
        if (typeof url === 'string') links.push(`- [${typeof label === 'string' ? label : typeof name === 'string' ? name : url}](${url})`);
      }
    }
  }
  const severity = typeof record.severity === 'string' ? severityFromLabel(record.severity) : null;
  return { title: title?.trim() || null, tags, links, severity };
}

/** `# <%= current_page.data.title %>`, `# {{ page.title }}`: a heading a site generator fills in. */
const TEMPLATED = /^(?:<%=?[\s\S]*%>|\{\{[\s\S]*\}\}|\{%[\s\S]*%\})$/;

function alertTableRunbooks(ctx: Context, table: Table, group: string): ImportedRunbook[] | null {
  const [head, ...rows] = table.children;
  if (!head || !rows.length) return null;
  const names = head.children.map((cell) => toString(cell).trim().toLowerCase());
  const nameAt = names.findIndex((n) => /^(?:name|alert(?: ?name)?)$/.test(n));
  const severityAt = names.findIndex((n) => /^(?:severity|priority|level)$/.test(n));
  const runbookAt = names.findIndex((n) => /^(?:runbook(?: url)?|playbook|link)$/.test(n));
  if (nameAt < 0 || (severityAt < 0 && runbookAt < 0)) return null;
  return rows.map((row) => {
    const cells = row.children.map((cell) => inlineMarkdown(ctx, cell.children).trim());
    const name = cleanTitle(cells[nameAt] ?? '') || 'Alert';
    const severity = severityAt >= 0 ? severityFromLabel(cells[severityAt] ?? '') : null;
    const description = names
      .map((n, i) => (i === nameAt || i === severityAt || i === runbookAt || !cells[i] ? null : `**${head.children[i] ? toString(head.children[i]!) : n}:** ${cells[i]}`))
      .filter(Boolean)
      .join('\n\n');
    const link = runbookAt >= 0 ? cells[runbookAt] : '';
    const summary = names.findIndex((n) => /^(?:summary|description|message)$/.test(n));
    const steps: ImportedStep[] = link ? [{ title: `Follow the runbook: ${link}`, detail: '', command: null }] : [{ title: `Investigate: ${cells[summary] ?? name}`, detail: '', command: null }];
    return {
      title: clip(name, LIMITS.title),
      description,
      severities: severity ? [severity] : [],
      tags: group ? [group] : [],
      phases: [{ title: 'Diagnosis', timeBudget: null, steps }],
      references: link ? [{ kind: 'links', title: 'Links', markdown: `- Runbook: ${link}` }] : [],
      line: row.position?.start.line ?? 1,
    } satisfies ImportedRunbook;
  });
}

export function parseMarkdownRunbooks(text: string, options: { title?: string } = {}): { runbooks: ImportedRunbook[]; documentTitle: string; documentNotes: number } {
  const root = parseMarkdownTree(text);
  const definitions = new Map<string, Definition>();
  for (const node of root.children) if (node.type === 'definition') definitions.set(node.identifier.toLowerCase(), { url: node.url, title: node.title ?? null });
  const ctx: Context = { text, definitions };
  const front = readFrontMatter(root);
  const top = buildTree(root, text, options.title?.trim() || front.title || 'Imported runbook');
  // A heading the site generator fills in from the front matter takes the front matter's title.
  const fillTemplated = (section: Section) => {
    if (TEMPLATED.test(section.title.trim())) section.title = front.title ?? top.title;
    section.children.forEach(fillTemplated);
  };
  fillTemplated(top);
  // A document with one H1 is titled by it; the H1 is then just the outermost section.
  const onlyH1 = top.children.length === 1 && top.children[0]!.depth === 1 ? top.children[0]! : null;
  const documentTitle = options.title?.trim() || front.title || (onlyH1 ? cleanTitle(onlyH1.title) : top.title);

  const procedural = new Map<Section, boolean>();
  const isProcedural = (section: Section): boolean => {
    if (!procedural.has(section)) {
      const builder = new RunbookBuilder(ctx, section.title);
      builder.walkFlattened(section);
      const kind = referenceKind(section.title);
      procedural.set(section, !kind && builder.stepCount > 0);
    }
    return procedural.get(section)!;
  };
  const ownSteps = (section: Section) => {
    const builder = new RunbookBuilder(ctx, section.title);
    builder.walk(section.content);
    return builder.stepCount > 0;
  };
  const hasAlertTable = (section: Section): boolean =>
    section.content.some((node) => node.type === 'table' && alertTableRunbooks(ctx, node, '') !== null) || section.children.some(hasAlertTable);
  const hasProcedureChildren = (section: Section) => section.children.some((child) => !referenceKind(child.title) && isProcedural(child));
  /** An alert entry: Meaning / Impact / Diagnosis / Mitigation sub-sections, or an alert's name. */
  const isAlertEntry = (section: Section) => isAlertName(section.title) || (section.children.length >= 2 && section.children.some((c) => MEANING_WORDS.test(cleanTitle(c.title))) && section.children.some((c) => ACTION_WORDS.test(cleanTitle(c.title))));

  const runbooks: ImportedRunbook[] = [];
  const documentReferences: RunbookReference[] = [];
  const documentLinks: string[] = [...front.links];

  const build = (section: Section, asPhases: boolean, severities: string[], tags: string[]) => {
    const builder = new RunbookBuilder(ctx, section.title);
    builder.walk(section.content);
    for (const child of section.children) {
      const kind = referenceKind(child.title);
      if (kind) builder.addReference(sectionReference(ctx, child, kind));
      else if (asPhases && MEANING_WORDS.test(cleanTitle(child.title)) && !isProcedural(child)) {
        builder.describe();
        builder.walkFlattened(child);
      } else if (asPhases && isProcedural(child)) {
        const { title, timeBudget } = splitTimeHint(cleanTitle(child.title));
        builder.startPhase(stripNumbering(plainTitle(title, LIMITS.title)), timeBudget);
        if (isNumbered(child.title)) builder.numberedPhases++;
        builder.walkFlattened(child);
      } else if (asPhases && child.content.length && (ACTION_WORDS.test(cleanTitle(child.title)) || child.content.some((node) => node.type === 'paragraph' && isImperative(toString(node))))) {
        // A prose-only "Mitigation" section: its paragraphs become steps in finish().
        builder.startPhase(stripNumbering(plainTitle(cleanTitle(child.title), LIMITS.title)), null);
        builder.walkFlattened(child);
      } else if (child.content.length || child.children.length) {
        if (MEANING_WORDS.test(cleanTitle(child.title))) {
          builder.describe();
          builder.walkFlattened(child);
        } else builder.addReference(sectionReference(ctx, child, 'other'));
      }
    }
    const phases = builder.finish();
    if (!phases.length) return false;
    // The document's own runbook is named by the front matter's title when it has one (the H1 is often a short form of it).
    const { title } = splitTimeHint(cleanTitle(section === top || (section === onlyH1 && front.title) ? documentTitle : section.title, LIMITS.title));
    const own = [...new Set([...builder.severities])];
    runbooks.push({
      title: (title.length >= 2 ? title : documentTitle).replace(/^alert(?: name)?\s*:\s*/i, '').replace(/^`(.+)`$/, '$1'),
      description: builder.description.join('\n\n'),
      severities: own.length ? own : severities,
      tags,
      phases,
      references: [...builder.references, ...(builder.links.length ? [{ kind: 'links' as const, title: 'Links', markdown: clip(builder.links.join('\n'), LIMITS.reference) }] : [])],
      line: section.line,
    });
    return true;
  };

  /** An alert entry written as prose: its imperative sentences are the steps, the rest describes it. */
  const alertFromProse = (section: Section, severities: string[], tags: string[]): boolean => {
    const paragraphs = section.content.filter((node): node is Paragraph => node.type === 'paragraph');
    const steps: ImportedStep[] = [];
    const description: string[] = [];
    for (const paragraph of paragraphs) {
      const text = plainTitle(inlineMarkdown(ctx, paragraph.children), 100_000);
      const sentences = text.match(/[^.!?]+(?:[.!?]+(?=\s|$)|$)/g)?.map((sentence) => sentence.trim()).filter(Boolean) ?? [];
      for (const sentence of sentences) {
        if (isImperative(sentence)) {
          const codes = inlineCodes(paragraph.children).filter((code) => sentence.includes(code) && looksLikeCommand(code));
          steps.push({ title: clip(sentence, LIMITS.stepTitle), detail: '', command: codes.length === 1 ? codes[0]! : null });
        } else description.push(sentence);
      }
    }
    if (!steps.length) return false;
    runbooks.push({
      title: clip(cleanTitle(section.title).replace(/^`(.+)`$/, '$1'), LIMITS.title),
      description: description.join(' '),
      severities,
      tags,
      phases: [{ title: 'Steps', timeBudget: null, steps }],
      references: [],
      line: section.line,
    });
    return true;
  };

  const collect = (section: Section, inherited: string[], tags: string[]) => {
    const kind = section.depth > 0 ? referenceKind(section.title) : null;
    if (kind) {
      if (kind === 'links') documentLinks.push(ctx.text.slice(section.heading?.position?.end.offset ?? section.start, section.end).trim());
      else documentReferences.push(sectionReference(ctx, section, kind));
      return;
    }
    // Alert tables (Name | Summary | Severity | Runbook): one runbook per row.
    const tables = section.content.filter((node): node is Table => node.type === 'table');
    let tabled = false;
    for (const table of tables) {
      const rows = alertTableRunbooks(ctx, table, section.depth > 0 ? cleanTitle(section.title) : '');
      if (rows) {
        runbooks.push(...rows.map((runbook) => ({ ...runbook, tags: [...new Set([...tags, ...runbook.tags])] })));
        tabled = true;
      }
    }
    if (!isProcedural(section) && section.depth > 0 && isAlertName(section.title) && alertFromProse(section, inherited, tags)) return;
    if (!isProcedural(section) && !tabled && hasAlertTable(section)) {
      for (const child of section.children) collect(child, inherited, tags);
      return;
    }
    if (!isProcedural(section)) {
      if (!tabled && section.depth > 0 && (section.content.length || section.children.length)) documentReferences.push(sectionReference(ctx, section, 'other'));
      if (tabled) for (const child of section.children) collect(child, inherited, tags);
      return;
    }
    const severities = severitiesOf(section.title) ?? inherited;
    const stepped = section.children.filter((child) => !referenceKind(child.title) && isProcedural(child));
    if (stepped.length === 0) {
      build(section, true, severities, tags);
      return;
    }
    // One procedure under a title ("# Playbook" › "## Database failure"): that is the runbook.
    // At the top, only a document with no title of its own descends into its one section.
    const titled = section.depth === 0 && front.title !== null && stepped[0]?.depth !== 1;
    if (stepped.length === 1 && !titled && (!isProcedurePart(stepped[0]!.title) || (section.depth === 0 && stepped[0]!.depth === 1)) && (section.depth === 0 || !COLLECTION_WORDS.test(cleanTitle(section.title))) && !ownSteps(section)) {
      for (const child of section.children) if (child !== stepped[0]) collect(child, severities, tags);
      collect(stepped[0]!, severities, tags);
      return;
    }
    const childrenAreLeaves = stepped.every((child) => !hasProcedureChildren(child));
    // Independent procedures: a heading that names a collection, children named like alerts or
    // scenarios, or two or more children that hold procedures of their own and don't read as a
    // part of one ("Preparation", "Phase one", "Roll-back" do).
    const collection =
      (section.depth > 0 && COLLECTION_WORDS.test(cleanTitle(section.title)) && !isPhaseLike(section.title)) ||
      stepped.filter((child) => isIndependentTitle(child.title) || isAlertEntry(child)).length >= Math.max(2, Math.ceil(stepped.length / 2)) ||
      stepped.filter((child) => hasProcedureChildren(child) && !isProcedurePart(child.title)).length >= 2 ||
      // A severity level ("SEV-1", "Red zone") groups that level's procedures unless they are phases.
      (severitiesOf(section.title) !== null && !stepped.every((child) => isPhaseLike(child.title)));
    const phaseLike = stepped.every((child) => isPhaseLike(child.title)) || (section.depth > 1 && isPhaseLike(section.title) && childrenAreLeaves);
    if (phaseLike || !collection) {
      build(section, true, severities, tags);
      return;
    }
    const groupTags = section.depth > 0 && stepped.some((child) => isAlertEntry(child)) ? [...new Set([...tags, cleanTitle(section.title)])] : tags;
    if (ownSteps(section)) build({ ...section, children: [] }, false, severities, tags);
    else if (section.depth > 0 && section.content.length) {
      documentReferences.push({ kind: 'other', title: clip(cleanTitle(section.title) || 'Notes', LIMITS.title), markdown: clip(section.content.map((node) => raw(ctx, node)).join('\n\n'), LIMITS.reference) });
    }
    for (const child of section.children) collect(child, severities, groupTags);
  };
  collect(top, front.severity ? [front.severity] : [], front.tags.slice(0, LIMITS.tags));

  // Notes from outside any runbook (contacts, escalation, severity tables) are kept once, on the
  // first runbook; the others get a pointer of the same kind, so a responder still finds them.
  const notes = documentReferences.filter((ref) => ref.markdown.trim());
  const links = documentLinks.filter((link) => link.trim());
  runbooks.forEach((runbook, index) => {
    const own = runbook.references;
    if (index === 0) {
      const linkNote: RunbookReference[] = links.length ? [{ kind: 'links', title: 'Links', markdown: clip(links.join('\n'), LIMITS.reference) }] : [];
      runbook.references = [...own, ...notes, ...linkNote].slice(0, LIMITS.references);
    } else {
      // Named kinds (contacts, escalation, severities, templates) keep a pointer each; other notes one between them.
      const pointer = `Kept once with the runbook “${runbooks[0]!.title}” from the same document.`;
      const others = notes.filter((ref) => ref.kind === 'other');
      const pointers: RunbookReference[] = [
        ...notes.filter((ref) => ref.kind !== 'other').map((ref) => ({ kind: ref.kind, title: ref.title, markdown: pointer })),
        ...(others.length ? [{ kind: 'other' as const, title: 'Document notes', markdown: `${others.map((ref) => `“${ref.title}”`).join(', ')}: ${pointer}` }] : []),
      ];
      runbook.references = [...own, ...pointers].slice(0, LIMITS.references);
    }
    // A runbook's own links note and the document's are merged into one.
    const linkNotes = runbook.references.filter((ref) => ref.kind === 'links');
    if (linkNotes.length > 1) {
      runbook.references = [...runbook.references.filter((ref) => ref.kind !== 'links'), { kind: 'links', title: 'Links', markdown: clip(linkNotes.map((ref) => ref.markdown).join('\n'), LIMITS.reference) }];
    }
    // At most 29: the import adds "imported", and a runbook holds 30 tags.
    runbook.tags = [...new Set(runbook.tags.map((tag) => clip(tag.trim(), 80)).filter(Boolean))].slice(0, LIMITS.tags - 1);
    const source = `Imported from “${documentTitle}”.`;
    runbook.description = clip(runbook.description ? `${runbook.description}\n\n${source}` : source, 10_000);
  });
  return { runbooks, documentTitle, documentNotes: notes.length };
}
