// Matchers as people type them, one per line in Alertmanager's notation (`env="prod"`,
// `env!=staging`, `instance=~"db-.*"`), to and from the API's `{[label]: "value" | "!value" | "~regex"}`.
// No RE2 here: it runs in the browser; the server checks the regexes.

const LINE = /^\s*([^\s=!~"]+)\s*(=~|!=|=)\s*(.*?)\s*$/;

/** Parses the lines; every line that can't be read is reported with its number, all at once. */
export function parseMatcherLines(text: string): { ok: true; matchers: Record<string, string> } | { ok: false; errors: string[] } {
  const matchers: Record<string, string> = {};
  const errors: string[] = [];
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '' || raw.trim().startsWith('#')) return;
    const match = LINE.exec(raw);
    if (!match) {
      errors.push(`Line ${index + 1} (“${raw.trim().slice(0, 40)}”) is not a matcher; write label=value, label!=value or label=~regex`);
      return;
    }
    const [, label, operator, rawValue] = match as unknown as [string, string, '=' | '!=' | '=~', string];
    let value = rawValue;
    if (value.startsWith('"')) {
      try {
        value = JSON.parse(value) as string;
      } catch {
        errors.push(`Line ${index + 1}: the quoted value is not closed properly`);
        return;
      }
    }
    if (label in matchers) errors.push(`Line ${index + 1}: ${label} is matched twice; keep one line per label`);
    // A plain value starting with ! or ~ would read as an operator: write it as a regex instead.
    const literal = operator === '=' && /^[!~]/.test(value) ? `~${value.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}` : value;
    matchers[label] = operator === '=' ? literal : operator === '!=' ? `!${value}` : `~${value}`;
  });
  return errors.length ? { ok: false, errors } : { ok: true, matchers };
}

/** The lines for a matcher set, the way parseMatcherLines reads them back. */
export function matcherLines(matchers: Record<string, string>): string {
  return Object.entries(matchers)
    .map(([label, text]) => {
      // The API's notation (lib/alerts/matchers.ts): "value", "!value" or "~regex".
      const operator = text.startsWith('!') ? '!=' : text.startsWith('~') ? '=~' : '=';
      return `${label}${operator}${JSON.stringify(operator === '=' ? text : text.slice(1))}`;
    })
    .join('\n');
}
