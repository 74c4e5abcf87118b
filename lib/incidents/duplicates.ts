// Is this new incident one that is already open? Two people declaring the same outage minutes
// apart is the common case: the same service and a title in other words ("Checkout API returning
// 502s" / "502 errors on checkout"). Pure, so the rule is tested alone; the open incidents are
// few (the dashboard's), so they are compared here rather than in SQL.

const STOP_WORDS = new Set(['a', 'an', 'the', 'is', 'are', 'on', 'in', 'of', 'for', 'to', 'and', 'or', 'with', 'at', 'by', 'from', 'we', 'our', 'some', 'all', 'not']);

/** Lower-case words without punctuation, stop words or a plural/verb ending ("returning 502s" → return, 502). */
export function titleWords(title: string): string[] {
  return title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}\s-]/gu, ' ')
    .split(/[\s-]+/)
    .filter((word) => word && !STOP_WORDS.has(word))
    .map((word) => (word.length > 4 ? word.replace(/(ing|ed|es|s)$/, '') : word.replace(/(?<=\d)s$/, '')));
}

function trigrams(text: string): Set<string> {
  const padded = `  ${text} `;
  const grams = new Set<string>();
  for (let i = 0; i < padded.length - 2; i++) grams.add(padded.slice(i, i + 3));
  return grams;
}

function dice<T>(a: Set<T>, b: Set<T>): number {
  if (!a.size || !b.size) return 0;
  let shared = 0;
  for (const item of a) if (b.has(item)) shared++;
  return (2 * shared) / (a.size + b.size);
}

/** 0…1: how alike two titles read, by their words and, for typos, their letters. */
export function titleSimilarity(a: string, b: string): number {
  const wordsA = titleWords(a);
  const wordsB = titleWords(b);
  return Math.max(dice(new Set(wordsA), new Set(wordsB)), dice(trigrams(wordsA.join(' ')), trigrams(wordsB.join(' '))) * 0.9);
}

export type DuplicateCandidate = { number: number; title: string; services: string[] };

/**
 * The open incidents that look like the one being declared, most alike first: a shared service
 * and a somewhat similar title, or a very similar title alone (at most three).
 */
export function findDuplicates<T extends DuplicateCandidate>(draft: { title: string; services: string[] }, open: readonly T[]): (T & { similarity: number; sharedServices: string[] })[] {
  const services = new Set(draft.services.map((s) => s.trim().toLowerCase()).filter(Boolean));
  if (titleWords(draft.title).length === 0) return [];
  return open
    .map((incident) => {
      const sharedServices = incident.services.filter((s) => services.has(s.toLowerCase()));
      return { ...incident, similarity: titleSimilarity(draft.title, incident.title), sharedServices };
    })
    .filter((c) => (c.sharedServices.length > 0 && c.similarity >= 0.3) || c.similarity >= 0.6)
    .sort((a, b) => b.sharedServices.length - a.sharedServices.length || b.similarity - a.similarity)
    .slice(0, 3);
}
