// Comparing and merging two texts of a review section, line by line (pure, used in the browser).

/** Their text, then every line of mine they do not have: both texts are kept, nothing is lost. */
export function mergeTexts(theirs: string, mine: string): string {
  const have = new Set(theirs.split('\n').map((l) => l.trim()));
  const missing = mine.split('\n').filter((l) => l.trim() && !have.has(l.trim()));
  return missing.length ? `${theirs.trimEnd()}\n${missing.join('\n')}` : theirs;
}

/** A line diff (longest common subsequence), for comparing a revision with the current text. */
export function lineDiff(before: string, after: string): { kind: 'same' | 'removed' | 'added'; text: string }[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) table[i]![j] = a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
  const out: { kind: 'same' | 'removed' | 'added'; text: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i]! });
      i++;
      j++;
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) out.push({ kind: 'removed', text: a[i++]! });
    else out.push({ kind: 'added', text: b[j++]! });
  }
  while (i < a.length) out.push({ kind: 'removed', text: a[i++]! });
  while (j < b.length) out.push({ kind: 'added', text: b[j++]! });
  return out;
}
