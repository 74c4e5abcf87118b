// The Markdown reader (micromark) takes time that grows with the square of some shapes:
// containers opened on one line (`- - - … x`) and runs of emphasis or bracket characters in one
// paragraph. Real runbooks stay far below the sizes where that shows,
// so the importer rewrites only text beyond them, keeping every character a person wrote:
// - markers past the MAX_LINE_DEPTH-th container opened on one line are escaped (kept as text);
// - in a paragraph with more than MAX_DELIMITERS `*`/`_` (or `[`/`]`), those become look-alike
//   characters (∗ ＿ ［ ］): escaping them is as slow as reading them, and no runbook has such a
//   paragraph, only hostile input does.
// What is left slow (a 1 MiB table, tens of thousands of nested list items) is stopped by the
// worker's deadline (pool.ts).

const MAX_LINE_DEPTH = 8;
const MAX_DELIMITERS = 300;

const LOOK_ALIKE: Record<string, string> = { '*': '∗', _: '＿', '[': '［', ']': '］' };

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** The fence (its run of ` or ~) a line opens, if it opens one. */
export function fenceOpenedBy(line: string): string | null {
  return FENCE.exec(line)?.[1] ?? null;
}

/** Whether `line` closes a code block opened by `fence`: the same character, at least as many, nothing after. */
export function closesFence(line: string, fence: string): boolean {
  const run = fenceOpenedBy(line);
  return run !== null && run[0] === fence[0] && run.length >= fence.length && !line.trim().slice(run.length).trim();
}
const CONTAINER = /^[ \t]{0,3}(?:>[ \t]?|(?:[-*+]|\d{1,9}[.)])[ \t]+)/;

/** Escapes container markers past the allowed depth: "- - - … x" keeps its first levels only. */
function boundLineDepth(line: string): string {
  let rest = line;
  let kept = '';
  for (let depth = 0; depth < MAX_LINE_DEPTH; depth++) {
    const match = CONTAINER.exec(rest);
    if (!match) return line;
    kept += match[0];
    rest = rest.slice(match[0].length);
  }
  if (!CONTAINER.test(rest)) return line;
  // A backslash before the next marker makes it text; the markers after it are then plain text too.
  const lead = /^[ \t]*/.exec(rest)![0];
  return `${kept}${lead}\\${rest.slice(lead.length)}`;
}

function escapeFlood(block: string[]): string[] {
  const text = block.join('\n');
  let emphasis = 0;
  let brackets = 0;
  for (const char of text) {
    if (char === '*' || char === '_') emphasis++;
    else if (char === '[' || char === ']') brackets++;
  }
  if (emphasis <= MAX_DELIMITERS && brackets <= MAX_DELIMITERS) return block;
  const pattern = emphasis > MAX_DELIMITERS && brackets > MAX_DELIMITERS ? /[*_[\]]/g : emphasis > MAX_DELIMITERS ? /[*_]/g : /[[\]]/g;
  return block.map((line) => line.replace(pattern, (char) => LOOK_ALIKE[char]!));
}

/** The same document, rewritten only where its shape would make the reader super-linear. */
export function boundMarkdown(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let fence: string | null = null;
  let block: string[] = [];
  const flush = () => {
    // One line at a time: spreading a block of 100,000 lines into push() overflows the stack.
    for (const line of escapeFlood(block)) out.push(line);
    block = [];
  };
  for (const line of lines) {
    const opening = fenceOpenedBy(line);
    if (fence) {
      out.push(line);
      if (closesFence(line, fence)) fence = null;
      continue;
    }
    if (opening) {
      flush();
      fence = opening;
      out.push(line);
      continue;
    }
    if (!line.trim()) {
      flush();
      out.push(line);
      continue;
    }
    block.push(boundLineDepth(line));
  }
  flush();
  return out.join('\n');
}
