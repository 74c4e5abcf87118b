// Turns a Markdown playbook into runbooks. The document is parsed with remark (CommonMark + GFM)
// and read as a tree of heading sections:
// - a section whose procedural sub-sections are all phase-like ("Immediate Actions (0-5 min)",
//   "2. Diagnosis", "Recovery") is one runbook and those sub-sections are its phases;
// - otherwise each procedural sub-section is looked at the same way, so "Specific Emergency
//   Scenarios › Database Failure" becomes the runbook "Database Failure";
// - inside a section, bold labels ("**Actions**:", "**Immediate Response (5 minutes):**") start
//   phases, "**Symptoms**:" and the like feed the description, and "**Templates**:" a reference;
// - steps come from list items (numbered, bulleted, task lists), from a paragraph or sub-heading
//   followed by a code block, and from numbered comments inside code (`# 1. Check MySQL status`),
//   which split the block into one step each with the lines under it as the command;
// - contact tables, escalation chains, severity definitions and templates are kept as reference
//   notes on the runbooks rather than dropped.
import type { Code, Heading, List, ListItem, Paragraph, Root, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { RunbookReference } from '@/lib/runbooks/schema';
import { cleanTitle, splitTimeHint, stripEmoji, stripNumbering } from './clean';

export type ImportedStep = { title: string; detail: string; command: string | null };
export type ImportedPhase = { title: string; timeBudget: string | null; steps: ImportedStep[] };
export type ImportedRunbook = {
  title: string;
  description: string;
  severities: string[];
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

const LIMITS = { title: 200, stepTitle: 300, timeBudget: 80, text: 20_000, reference: 50_000, references: 50, phases: 50, steps: 500 };

const PHASE_WORDS = [
  'immediate', 'initial', 'first', 'triage', 'diagnos', 'assess', 'investigat', 'detect', 'identif', 'analy',
  'mitigat', 'contain', 'recover', 'resolv', 'resolution', 'remediat', 'fix', 'restor', 'verif', 'validat',
  'monitor', 'post', 'follow', 'communicat', 'escalat', 'prevent', 'clean', 'short-term', 'long-term', 'next steps',
  'sofort', 'erste', 'diagnose', 'untersuch', 'analyse', 'behebung', 'wiederherstell', 'prüf', 'überprüf',
  'nachbereit', 'maßnahmen', 'massnahmen', 'eindämm', 'kommunikation', 'präventiv', 'verifi', 'lösung',
];

const DESCRIPTION_LABELS = /^(symptoms?|symptome|indicators?|anzeichen|definition|impact|auswirkung|cause|causes|ursache|when to use|trigger|wann|overview|beschreibung|description|context|hintergrund|note|hinweis|warning|warnung|examples?|beispiele?)\b/i;

function referenceKind(title: string): RunbookReference['kind'] | null {
  const t = title.toLowerCase();
  if (/template|vorlage/.test(t)) return /report|post-?mortem|review|bericht|timeline/.test(t) ? 'report_template' : 'message_template';
  if (/escalat|eskalation/.test(t)) return 'escalation';
  if (/contact|kontakt|wallet card|phone list|telefon/.test(t)) return 'contacts';
  if (/severit|schweregrad|priority levels|prioritäten|response times|reaktionszeit|categor|kategorie|classification|klassifi/.test(t)) return 'severity_table';
  if (/overview|übersicht|quick reference|reference card|cheat ?sheet|roles and responsib|responsibilit|zuständigkeit|tools and resources|resources|ressourcen|communication channels|document (info|control)|revision history|changelog/.test(t)) return 'other';
  return null;
}

/** "1. Detection", "1️⃣ Status-Page", "Step 2: …": a numbered heading. */
function isNumbered(title: string): boolean {
  return /^(?:\d+\s*[.):]|(?:step|schritt|phase)\s+\d)/i.test(stripEmoji(title));
}

function isPhaseLike(title: string): boolean {
  if (isNumbered(title) || splitTimeHint(cleanTitle(title)).timeBudget) return true;
  const words = stripNumbering(cleanTitle(title)).toLowerCase();
  return PHASE_WORDS.some((word) => words.startsWith(word));
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

type Context = { text: string };

function raw(ctx: Context, node: RootContent): string {
  const position = node.position;
  return position ? dedent(ctx.text.slice(position.start.offset, position.end.offset)) : toString(node);
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

type Mode = { kind: 'steps' } | { kind: 'description' } | { kind: 'reference'; reference: RunbookReference };

class RunbookBuilder {
  phases: ImportedPhase[] = [];
  description: string[] = [];
  references: RunbookReference[] = [];
  /** Phases started from numbered headings ("1️⃣ Status-Page aktualisieren"). */
  numberedPhases = 0;
  private phase: ImportedPhase | null = null;
  private pending: string | null = null;
  private pendingIsHeading = false;
  private mode: Mode = { kind: 'steps' };

  constructor(
    private readonly ctx: Context,
    private readonly sectionTitle: string,
  ) {}

  get stepCount(): number {
    return this.phases.reduce((sum, phase) => sum + phase.steps.length, 0);
  }

  startPhase(title: string, timeBudget: string | null) {
    this.phase = { title: clip(title || 'Steps', LIMITS.title), timeBudget: timeBudget ? clip(timeBudget, LIMITS.timeBudget) : null, steps: [] };
    this.phases.push(this.phase);
    this.pending = null;
    this.mode = { kind: 'steps' };
  }

  /** A sub-heading inside a phase names the next code block, like a paragraph would. */
  subHeading(title: string) {
    this.mode = { kind: 'steps' };
    this.pending = cleanTitle(title, LIMITS.stepTitle);
    this.pendingIsHeading = true;
  }

  addReference(reference: RunbookReference) {
    this.references.push({ ...reference, markdown: clip(reference.markdown, LIMITS.reference) });
  }

  private addStep(step: ImportedStep) {
    if (!this.phase) this.startPhase('Steps', null);
    this.phase!.steps.push({ title: clip(step.title, LIMITS.stepTitle), detail: clip(step.detail, LIMITS.text), command: step.command === null ? null : clip(step.command, LIMITS.text) });
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
    const last = this.phases.at(-1)?.steps.at(-1);
    if (!last || this.mode.kind === 'description') this.description.push(markdown);
    else last.detail = last.detail ? `${last.detail}\n\n${markdown}` : markdown;
  }

  private flushPending() {
    if (this.pending && !this.pendingIsHeading) this.note(this.pending);
    this.pending = null;
    this.pendingIsHeading = false;
  }

  private addCode(code: Code) {
    const title = this.pending ?? this.fallbackTitle();
    this.pending = null;
    this.pendingIsHeading = false;
    const split = splitNumberedCode(code.value);
    if (!split) {
      if (code.value.trim()) this.addStep({ title, detail: '', command: code.value.trimEnd() });
      return;
    }
    let detail = '';
    if (split.preamble) {
      const commentsOnly = split.preamble.split('\n').every((line) => !line.trim() || line.trimStart().startsWith('#'));
      if (commentsOnly) detail = split.preamble.split('\n').map((line) => line.replace(/^\s*#\s?/, '')).join('\n').trim();
      else this.addStep({ title, detail: '', command: split.preamble });
    }
    split.steps.forEach((step, i) => this.addStep({ title: step.title, detail: i === 0 ? detail : '', command: step.command }));
  }

  private addListItem(item: ListItem) {
    const [first, ...rest] = item.children;
    const commands: string[] = [];
    const details: string[] = [];
    let title = '';
    if (first?.type === 'paragraph') {
      const text = cleanTitle(toString(first).replace(/\s+/g, ' '), 10_000);
      if (text.length > LIMITS.stepTitle) {
        const sentence = /^(.{10,280}?[.!?])\s/.exec(text)?.[1];
        title = sentence ?? clip(text, LIMITS.stepTitle);
        details.push(raw(this.ctx, first));
      } else title = text;
    } else if (first) {
      rest.unshift(first);
    }
    for (const child of rest) {
      if (child.type === 'code') commands.push(child.value.trimEnd());
      else details.push(raw(this.ctx, child));
    }
    if (!title) title = commands.length ? this.fallbackTitle() : '';
    if (!title) return;
    this.addStep({ title, detail: details.join('\n\n'), command: commands.length ? commands.join('\n\n') : null });
  }

  walk(nodes: RootContent[]) {
    nodes.forEach((node, i) => {
      const next = nodes[i + 1];
      switch (node.type) {
        case 'paragraph': {
          const label = labelOf(node);
          if (label && label.colon && !label.rest) {
            this.flushPending();
            const kind = referenceKind(label.text);
            if (kind && kind !== 'other') {
              const reference: RunbookReference = { kind, title: clip(cleanTitle(`${cleanTitle(this.sectionTitle)} — ${label.text}`), LIMITS.title), markdown: '' };
              this.references.push(reference);
              this.mode = { kind: 'reference', reference };
            } else if (DESCRIPTION_LABELS.test(cleanTitle(label.text))) {
              this.mode = { kind: 'description' };
              this.description.push(raw(this.ctx, node));
            } else {
              const { title, timeBudget } = splitTimeHint(cleanTitle(label.text));
              this.startPhase(stripNumbering(title), timeBudget);
            }
            return;
          }
          if (label && label.rest) {
            this.note(raw(this.ctx, node));
            return;
          }
          if (this.mode.kind !== 'reference' && next?.type === 'code') {
            const text = cleanTitle(toString(node).replace(/\s+/g, ' '), 10_000);
            if (text.length <= LIMITS.stepTitle) {
              this.mode = { kind: 'steps' };
              this.pending = text;
              this.pendingIsHeading = false;
              return;
            }
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
          if (this.mode.kind !== 'steps') {
            this.note(raw(this.ctx, node));
            return;
          }
          // A sub-heading over a list is structure, not content; a lead-in paragraph is kept.
          if (this.pendingIsHeading) this.pending = null;
          this.flushPending();
          for (const item of (node as List).children) this.addListItem(item);
          return;
        case 'table':
        case 'blockquote':
          this.note(raw(this.ctx, node));
          return;
        default:
          return;
      }
    });
  }

  /** Walks a section's content and its sub-sections as one run of steps. */
  walkFlattened(section: Section) {
    this.walk(section.content);
    for (const child of section.children) {
      const kind = referenceKind(child.title);
      if (kind) this.addReference(sectionReference(this.ctx, child, kind));
      else {
        this.subHeading(child.title);
        this.walkFlattened(child);
      }
    }
  }

  /** Drops empty phases; when every phase holds a single step, they were steps all along. */
  finish(): ImportedPhase[] {
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
    } else {
      stack.at(-1)!.content.push(node);
    }
  }
  for (const section of stack.slice(1)) section.end = Math.min(section.end, text.length);
  return top;
}

export function parseMarkdownRunbooks(text: string, options: { title?: string } = {}): { runbooks: ImportedRunbook[]; documentTitle: string } {
  const root = unified().use(remarkParse).use(remarkGfm).parse(text) as Root;
  const ctx: Context = { text };
  const top = buildTree(root, text, options.title?.trim() || 'Imported runbook');
  // A document with one H1 is titled by it; the H1 is then just the outermost section.
  const onlyH1 = top.children.length === 1 && top.children[0]!.depth === 1 ? top.children[0]! : null;
  const documentTitle = options.title?.trim() || (onlyH1 ? cleanTitle(onlyH1.title) : top.title);

  const procedural = new Map<Section, boolean>();
  const isProcedural = (section: Section): boolean => {
    if (!procedural.has(section)) {
      const builder = new RunbookBuilder(ctx, section.title);
      builder.walkFlattened(section);
      procedural.set(section, !referenceKind(section.title) && builder.stepCount > 0);
    }
    return procedural.get(section)!;
  };
  const ownSteps = (section: Section) => {
    const builder = new RunbookBuilder(ctx, section.title);
    builder.walk(section.content);
    return builder.stepCount > 0;
  };

  const runbooks: ImportedRunbook[] = [];
  const documentReferences: RunbookReference[] = [];

  const build = (section: Section, asPhases: boolean, severities: string[]) => {
    const builder = new RunbookBuilder(ctx, section.title);
    builder.walk(section.content);
    for (const child of section.children) {
      const kind = referenceKind(child.title);
      if (kind) builder.addReference(sectionReference(ctx, child, kind));
      else if (asPhases && isProcedural(child)) {
        const { title, timeBudget } = splitTimeHint(cleanTitle(child.title));
        builder.startPhase(stripNumbering(title), timeBudget);
        if (isNumbered(child.title)) builder.numberedPhases++;
        builder.walkFlattened(child);
      } else if (child.content.length || child.children.length) builder.addReference(sectionReference(ctx, child, 'other'));
    }
    const phases = builder.finish();
    if (!phases.length) return;
    const { title } = splitTimeHint(cleanTitle(section === top ? documentTitle : section.title, LIMITS.title));
    runbooks.push({
      title: title.length >= 2 ? title : documentTitle,
      description: builder.description.join('\n\n'),
      severities,
      phases,
      references: builder.references,
      line: section.line,
    });
  };

  const collect = (section: Section, inherited: string[]) => {
    const kind = section.depth > 0 ? referenceKind(section.title) : null;
    if (kind) {
      documentReferences.push(sectionReference(ctx, section, kind));
      return;
    }
    if (!isProcedural(section)) {
      if (section.depth > 0 && (section.content.length || section.children.length)) documentReferences.push(sectionReference(ctx, section, 'other'));
      return;
    }
    const severities = severitiesOf(section.title) ?? inherited;
    const steppedChildren = section.children.filter((child) => !referenceKind(child.title) && isProcedural(child));
    if (steppedChildren.length === 0) {
      build(section, false, severities);
      return;
    }
    const childrenAreLeaves = steppedChildren.every((child) => child.children.every((grandchild) => !isProcedural(grandchild)));
    if (steppedChildren.every((child) => isPhaseLike(child.title)) || (section.depth > 1 && isPhaseLike(section.title) && childrenAreLeaves)) {
      build(section, true, severities);
      return;
    }
    if (ownSteps(section)) build({ ...section, children: [] }, false, severities);
    else if (section.depth > 0 && section.content.length) {
      documentReferences.push({ kind: 'other', title: clip(cleanTitle(section.title) || 'Notes', LIMITS.title), markdown: clip(section.content.map((node) => raw(ctx, node)).join('\n\n'), LIMITS.reference) });
    }
    for (const child of section.children) collect(child, severities);
  };
  collect(top, []);

  // Notes from outside any runbook (contacts, escalation, severity tables) go with every runbook
  // of the document: that is where a responder looks for them.
  for (const runbook of runbooks) {
    runbook.references = [...runbook.references, ...documentReferences].filter((ref) => ref.markdown.trim()).slice(0, LIMITS.references);
    const source = `Imported from “${documentTitle}”.`;
    runbook.description = clip(runbook.description ? `${runbook.description}\n\n${source}` : source, 10_000);
  }
  return { runbooks, documentTitle };
}
