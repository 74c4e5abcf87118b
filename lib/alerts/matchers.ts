// Label matchers, shared by routes and silences (API.md): a value is an exact string, `!value`
// for not-equal, or `~regex`, anchored at both ends like Alertmanager's. Semantics follow
// Alertmanager: a label the alert lacks counts as the empty string, so `{env: "!prod"}` matches an
// alert without `env`, and `{env: ""}` matches only such alerts.
//
// Regexes run on RE2JS, a JavaScript port of RE2: the same syntax as Alertmanager's Go regexps,
// and matching in time linear in the input, so a route like `~(a+)+$` cannot freeze the server the
// way it would on a backtracking engine. Patterns are still bounded in length and compiled size
// so a saved route stays cheap for every alert of a storm. A value that needs a literal leading
// `!` or `~` is written as a regex: `~!important` or `~\~tilde`.
import { RE2JS, RE2JSException } from 're2js';
import { z } from 'zod';
import { stringRecord } from '@/lib/alerts/payloads/common';

export type MatchOperator = 'equal' | 'not-equal' | 'regex';

export type LabelMatcher = {
  label: string;
  operator: MatchOperator;
  /** The string compared, or the regex without its `~`. */
  value: string;
};

export type CompiledMatcher = LabelMatcher & { test: (actual: string) => boolean };

export type MatcherCheck = LabelMatcher & {
  /** The alert's value; null when it lacks the label (compared as ""). */
  actual: string | null;
  matched: boolean;
  /** The matcher in Alertmanager's notation, e.g. `env=~"prod|staging"`. */
  text: string;
};

export const MAX_MATCHERS = 30;
export const MAX_MATCH_VALUE = 1_024;
/** RE2's own measure of a compiled pattern's cost; a few hundred covers every real route. */
export const MAX_REGEX_PROGRAM = 5_000;

export function parseMatchValue(label: string, text: string): LabelMatcher {
  if (text.startsWith('!')) return { label, operator: 'not-equal', value: text.slice(1) };
  if (text.startsWith('~')) return { label, operator: 'regex', value: text.slice(1) };
  return { label, operator: 'equal', value: text };
}

export function describeMatcher(matcher: LabelMatcher): string {
  const op = { equal: '=', 'not-equal': '!=', regex: '=~' }[matcher.operator];
  return `${matcher.label}${op}${JSON.stringify(matcher.value)}`;
}

// Compiled patterns, shared by every route and silence that uses them; bounded so a stream of
// distinct test patterns can't grow it without end.
const compiled = new Map<string, RE2JS>();
const MAX_CACHED = 1_000;

/** Compiles an anchored regex, or says in words what is wrong with it. */
function compileRegex(pattern: string): { ok: true; regex: RE2JS } | { ok: false; message: string } {
  const cached = compiled.get(pattern);
  if (cached) return { ok: true, regex: cached };
  if (pattern.length > MAX_MATCH_VALUE) return { ok: false, message: `Keep regexes under ${MAX_MATCH_VALUE.toLocaleString('en')} characters` };
  try {
    // The bare pattern first: `a)|(b` would otherwise compile inside the anchoring group and
    // silently mean something else.
    RE2JS.compile(pattern);
    const regex = RE2JS.compile(`^(?:${pattern})$`);
    if (regex.programSize() > MAX_REGEX_PROGRAM) {
      return { ok: false, message: `The regex ${JSON.stringify(pattern.slice(0, 60))} is too costly to run on every alert (size ${regex.programSize()}, at most ${MAX_REGEX_PROGRAM}); simplify it, e.g. fewer or smaller {n} repetitions` };
    }
    if (compiled.size >= MAX_CACHED) compiled.clear();
    compiled.set(pattern, regex);
    return { ok: true, regex };
  } catch (error) {
    if (!(error instanceof RE2JSException)) throw error;
    const reason = error.message.replace(/^error parsing regexp: /, '');
    return { ok: false, message: `${JSON.stringify(pattern.slice(0, 60))} is not a valid regular expression (${reason}); Sitrep uses RE2 syntax, like Alertmanager` };
  }
}

/** Why a match value can't be used, or null when it can. */
export function matchValueProblem(text: string): string | null {
  const matcher = parseMatchValue('', text);
  if (matcher.operator === 'regex') {
    const result = compileRegex(matcher.value);
    return result.ok ? null : result.message;
  }
  return matcher.value.length > MAX_MATCH_VALUE ? `Keep match values under ${MAX_MATCH_VALUE.toLocaleString('en')} characters` : null;
}

export function compileMatcher(matcher: LabelMatcher): CompiledMatcher {
  switch (matcher.operator) {
    case 'equal':
      return { ...matcher, test: (actual) => actual === matcher.value };
    case 'not-equal':
      return { ...matcher, test: (actual) => actual !== matcher.value };
    case 'regex': {
      const result = compileRegex(matcher.value);
      // Schemas refuse bad regexes at save time; one that slipped past (an old row) must not
      // crash routing, and a broken matcher matches nothing rather than everything.
      if (!result.ok) return { ...matcher, test: () => false };
      const { regex } = result;
      return { ...matcher, test: (actual) => regex.testExact(actual) };
    }
  }
}

export function compileMatchers(match: Record<string, string>): CompiledMatcher[] {
  return Object.entries(match).map(([label, text]) => compileMatcher(parseMatchValue(label, text)));
}

/** The alert's value of a label, or undefined; own properties only, so a matcher on `constructor` sees no inherited function. */
function labelValue(labels: Record<string, string>, label: string): string | undefined {
  return Object.hasOwn(labels, label) ? labels[label] : undefined;
}

export function matchesAll(matchers: CompiledMatcher[], labels: Record<string, string>): boolean {
  return matchers.every((matcher) => matcher.test(labelValue(labels, matcher.label) ?? ''));
}

/** Every matcher with the alert's value and whether it matched: the "why" of the Test route box. */
export function checkMatchers(matchers: CompiledMatcher[], labels: Record<string, string>): MatcherCheck[] {
  return matchers.map(({ test, ...matcher }) => {
    const actual = labelValue(labels, matcher.label) ?? null;
    return { ...matcher, actual, matched: test(actual ?? ''), text: describeMatcher(matcher) };
  });
}

/** True when the matcher would also match an alert lacking the label. */
export function matchesMissingLabel(matcher: CompiledMatcher): boolean {
  return matcher.test('');
}

/** `{[label]: "value" | "!value" | "~regex"}`, every bad value reported under its label. */
export function matcherSetSchema(what: string) {
  return stringRecord(
    z.string().min(1, 'Label names can’t be empty').max(256, 'Keep label names under 256 characters'),
    z.string({ error: `${what} values are strings: "value", "!value" or "~regex"` }),
    () => `${what} is an object of label → value, e.g. {"alertname": "HighLatency", "env": "~prod|staging"}`,
  ).superRefine((match, ctx) => {
    if (Object.keys(match).length > MAX_MATCHERS) ctx.addIssue({ code: 'custom', message: `Use at most ${MAX_MATCHERS} matchers` });
    for (const [label, text] of Object.entries(match)) {
      const problem = matchValueProblem(text);
      if (problem) ctx.addIssue({ code: 'custom', path: [label], message: problem });
    }
  });
}
