// Text clean-up for imported playbooks: mojibake from UTF-8 read as Windows-1252, decorative
// emoji in titles, and time hints such as "(0-5 minutes)" that belong in a phase's time budget.

// Windows-1252 puts printable characters where Latin-1 has C1 controls (0x80–0x9F).
const CP1252_HIGH: Record<string, number> = {
  '€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88,
  '‰': 0x89, 'Š': 0x8a, '‹': 0x8b, 'Œ': 0x8c, 'Ž': 0x8e, '‘': 0x91, '’': 0x92, '“': 0x93,
  '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97, '˜': 0x98, '™': 0x99, 'š': 0x9a, '›': 0x9b,
  'œ': 0x9c, 'ž': 0x9e, 'Ÿ': 0x9f,
};

/** The byte a character stood for when UTF-8 was decoded as Windows-1252, or null. */
function cp1252Byte(char: string): number | null {
  const mapped = CP1252_HIGH[char];
  if (mapped !== undefined) return mapped;
  const code = char.codePointAt(0)!;
  return code <= 0xff ? code : null;
}

const isContinuation = (byte: number | null): byte is number => byte !== null && byte >= 0x80 && byte <= 0xbf;

function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Repairs text that went through UTF-8 → Windows-1252 → UTF-8 ("ðŸš¨" → "🚨", "Ã¼" → "ü").
 * Only runs of characters that form a valid UTF-8 sequence are touched, so correct text
 * (and a genuine "Ã" followed by a letter) stays as it is. Emoji whose last byte was lost
 * on the way ("ðŸ“" with 0x9D gone) are dropped, as there is nothing left to recover.
 */
export function repairMojibake(text: string): { text: string; repaired: number } {
  const chars = Array.from(text);
  let out = '';
  let repaired = 0;
  for (let i = 0; i < chars.length; i++) {
    const lead = cp1252Byte(chars[i]!);
    const length = lead === null ? 0 : sequenceLength(lead);
    if (length > 0) {
      const bytes = [lead!];
      for (let j = 1; j < length && isContinuation(cp1252Byte(chars[i + j] ?? '')); j++) bytes.push(cp1252Byte(chars[i + j]!)!);
      if (bytes.length === length) {
        try {
          out += utf8.decode(new Uint8Array(bytes));
          i += length - 1;
          repaired++;
          continue;
        } catch {
          // Not UTF-8 after all: keep the characters.
        }
      } else if (bytes.length === length - 1) {
        // The last byte was one Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) and got
        // lost. Pictographs are dropped (titles lose them anyway); for the two common punctuation
        // cases the missing byte is all but certain: "â€" + 0x9D is ”, "â†" + 0x90 is ←.
        const guess = bytes[0] === 0xf0 && bytes[1] === 0x9f ? '' : bytes[0] === 0xe2 && bytes[1] === 0x80 ? '”' : bytes[0] === 0xe2 && bytes[1] === 0x86 ? '←' : null;
        if (guess !== null) {
          out += guess;
          i += bytes.length - 1;
          repaired++;
          continue;
        }
      }
    }
    out += chars[i];
  }
  return { text: out, repaired };
}

const KEYCAP = /([0-9])\uFE0F?\u20E3/gu;
const DECORATION = /[\p{Extended_Pictographic}\u{1F1E6}-\u{1F1FF}\u{1F3FB}-\u{1F3FF}\uFE0E\uFE0F\u200D\u20E3]/gu;

/** Removes decorative emoji; keycap digits ("1️⃣") become "1.". */
export function stripEmoji(title: string): string {
  return title
    .replace(KEYCAP, '$1.')
    .replace(DECORATION, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const TIME_WORD = /\b(?:s|sec|secs|seconds?|sek|sekunden|m|min|mins|minutes?|minuten|h|hrs?|hours?|std|stunden?|days?|tage?|weeks?|wochen?)\b/i;

/**
 * Splits a trailing time hint off a title: "Immediate Actions (0-5 minutes)" →
 * { title: "Immediate Actions", timeBudget: "0-5 minutes" }.
 */
export function splitTimeHint(title: string): { title: string; timeBudget: string | null } {
  const match = /\s*\(([^()]*\d[^()]*)\)\s*:?\s*$/.exec(title);
  if (match && TIME_WORD.test(match[1]!)) {
    return { title: title.slice(0, match.index).trim(), timeBudget: match[1]!.trim() };
  }
  return { title, timeBudget: null };
}

/** "1. Detection and Alert" → "Detection and Alert"; "Step 2: Restart" → "Restart". */
export function stripNumbering(title: string): string {
  return title.replace(/^(?:(?:step|schritt|phase)\s+)?\d+\s*[.):]\s*/i, '').trim() || title;
}

/** A title fit for a runbook, phase or step: no emoji, no trailing colon, bounded length. */
export function cleanTitle(title: string, max = 200): string {
  const cleaned = stripEmoji(title).replace(/\s*:\s*$/, '').trim();
  return cleaned.length > max ? `${cleaned.slice(0, max - 1).trimEnd()}…` : cleaned;
}

// `$ kubectl get pods`, `user@host:~$ ls`, `PS C:\> Get-Service`, `>>> print(x)`.
const PROMPT = /^(?:[\w.-]+@[\w.-]+(?::[^\s$#]*)?[$#]\s|\$\s|PS(?: [A-Za-z]:\\[^>]*)?>\s?|>>>\s|mysql>\s|postgres=[#>]\s|redis[\w.:-]*>\s)/;
const TRANSCRIPT_LANGS = /^(?:console|shell-session|shellsession|terminal|sh-session|text-console|pwsh-session|ps1-session)$/i;

/**
 * A block that is a transcript (commands behind prompts, output between them) becomes the commands
 * without their prompts; the output is returned apart. A block with no prompt is left as it is,
 * except in a `console` block, where `# ` is root's prompt rather than a comment.
 */
export function stripPrompts(code: string, lang: string | null): { command: string; output: string } {
  const lines = code.split('\n');
  const rootPrompt = lang !== null && TRANSCRIPT_LANGS.test(lang);
  const isPrompt = (line: string) => PROMPT.test(line) || (rootPrompt && /^#\s/.test(line));
  if (!lines.some(isPrompt)) return { command: code, output: '' };
  const commands: string[] = [];
  const output: string[] = [];
  let continued = false;
  for (const line of lines) {
    if (isPrompt(line)) {
      const command = line.replace(PROMPT, '').replace(rootPrompt ? /^#\s/ : /^$/, '');
      commands.push(command);
      continued = /\\\s*$/.test(command);
    } else if (continued || /^>\s/.test(line) && commands.length && /\\\s*$/.test(commands.at(-1)!)) {
      commands.push(line.replace(/^>\s/, ''));
      continued = /\\\s*$/.test(line);
    } else if (line.trim()) {
      output.push(line);
    }
  }
  return { command: commands.join('\n'), output: output.join('\n') };
}
