// Which runbook belongs to an alert: the one its `runbook_url` annotation points at (a Sitrep
// runbook page, or the page an imported runbook came from), else one whose title, tag or source
// page is named after the alert (`alertname`). The result keeps the annotation's URL even when no
// imported runbook matches, so the alert can still link to it; only a matched runbook can become
// a checklist on the incident declared from the alert.
import { safeHref } from '@/lib/alerts/payloads/common';

/**
 * What the caller knows about each imported runbook, in order of preference (e.g. most recently
 * updated first). Pass the same array for a whole batch and don't change it afterwards: its
 * normalised names are cached per array.
 */
export type RunbookCandidate = { id: string; title: string; tags: string[]; sourceUrl?: string | null };

export type RunbookMatch = 'runbook_url' | 'source_url' | 'title' | 'tag' | 'source_page' | 'title_words';

export type RunbookLink = {
  runbook: { id: string; title: string; match: RunbookMatch } | null;
  /** The alert's own runbook link (annotation `runbook_url`), when it has a usable one. */
  url: string | null;
  reason: string;
};

/** "HighErrorRate", "high_error-rate" and "High error rate" all become ["high", "error", "rate"]. */
export function nameWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/(\p{Ll}|\p{N})(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

const compact = (text: string) => nameWords(text).join('');

/** Scheme and host in lower case, no fragment, no trailing slash: two spellings of one page compare equal. */
function samePage(url: string): string | null {
  const href = safeHref(url);
  if (!href) return null;
  const parsed = new URL(href);
  parsed.hash = '';
  parsed.pathname = parsed.pathname.replace(/\/+$/, '') || '/';
  return parsed.href;
}

/** The last path segment without its extension: `…/runbooks/HighErrorRate.md` → "HighErrorRate". */
function pageName(url: string): string | null {
  const href = safeHref(url);
  if (!href) return null;
  const segments = new URL(href).pathname.split('/').filter(Boolean);
  const last = segments.at(-1);
  return last ? decodeURIComponentSafe(last).replace(/\.[a-z0-9]{1,8}$/i, '') : null;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const SITREP_RUNBOOK_PATH = /\/runbooks\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\/|$)/i;

function containsRun(haystack: string[], needle: string[]): boolean {
  outer: for (let start = 0; start + needle.length <= haystack.length; start++) {
    for (let i = 0; i < needle.length; i++) if (haystack[start + i] !== needle[i]) continue outer;
    return true;
  }
  return false;
}

type Prepared = { runbook: RunbookCandidate; title: string; titleWords: string[]; tags: string[]; source: string | null; sourcePage: string };

// Names are normalised once per list, not once per alert: a storm links thousands of alerts
// against the same library.
const preparedLists = new WeakMap<readonly RunbookCandidate[], Prepared[]>();

function prepare(runbooks: readonly RunbookCandidate[]): Prepared[] {
  let prepared = preparedLists.get(runbooks);
  if (!prepared) {
    prepared = runbooks.map((runbook) => {
      const titleWords = nameWords(runbook.title);
      return {
        runbook,
        title: titleWords.join(''),
        titleWords,
        tags: runbook.tags.map(compact),
        source: runbook.sourceUrl ? samePage(runbook.sourceUrl) : null,
        sourcePage: runbook.sourceUrl ? compact(pageName(runbook.sourceUrl) ?? '') : '',
      };
    });
    preparedLists.set(runbooks, prepared);
  }
  return prepared;
}

export function linkRunbook(alert: { labels: Record<string, string>; annotations: Record<string, string> }, runbooks: readonly RunbookCandidate[]): RunbookLink {
  const candidates = prepare(runbooks);
  const url = safeHref(alert.annotations.runbook_url ?? alert.annotations.runbook);
  const first = (match: RunbookMatch, test: (candidate: Prepared) => boolean, why: (runbook: RunbookCandidate) => string): RunbookLink | null => {
    const hits = candidates.filter(test);
    if (!hits[0]) return null;
    const { runbook } = hits[0];
    const others = hits.length - 1;
    return {
      runbook: { id: runbook.id, title: runbook.title, match },
      url,
      reason: `${why(runbook)}${others > 0 ? ` (${others} other runbook${others === 1 ? ' matches' : 's match'} the same way; the first listed wins)` : ''}`,
    };
  };

  if (url) {
    const sitrepId = SITREP_RUNBOOK_PATH.exec(new URL(url).pathname)?.[1]?.toLowerCase();
    const byId = sitrepId ? first('runbook_url', (c) => c.runbook.id.toLowerCase() === sitrepId, (r) => `The alert’s runbook_url is the Sitrep runbook “${r.title}”`) : null;
    if (byId) return byId;
    const page = samePage(url);
    const bySource = first('source_url', (c) => c.source !== null && c.source === page, (r) => `The alert’s runbook_url is the page “${r.title}” was imported from`);
    if (bySource) return bySource;
  }

  const alertname = alert.labels.alertname?.trim();
  const words = alertname ? nameWords(alertname) : [];
  if (alertname && words.length > 0) {
    const name = words.join('');
    const quoted = JSON.stringify(alertname);
    const match =
      first('title', (c) => c.title === name, (r) => `The runbook “${r.title}” is named after the alert ${quoted}`) ??
      first('tag', (c) => c.tags.includes(name), (r) => `The runbook “${r.title}” is tagged ${quoted}`) ??
      first('source_page', (c) => c.sourcePage === name, (r) => `The runbook “${r.title}” was imported from a page named after the alert ${quoted}`) ??
      // A title that contains the alert's words in order ("High error rate on checkout"); only
      // for names of two words or more, so "Down" doesn't pick every runbook mentioning "down".
      (words.length >= 2 ? first('title_words', (c) => containsRun(c.titleWords, words), (r) => `The runbook “${r.title}” mentions the alert ${quoted} in its title`) : null);
    if (match) return match;
  }

  return {
    runbook: null,
    url,
    reason: url
      ? 'The alert links its own runbook (runbook_url), which is not one imported into Sitrep'
      : alertname
        ? `No runbook is named, tagged or imported after the alert ${JSON.stringify(alertname)}, and it has no runbook_url`
        : 'The alert has neither a runbook_url annotation nor an alertname to look a runbook up by',
  };
}
