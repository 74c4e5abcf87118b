// Credentials that teams paste into playbooks: database passwords on command lines,
// Authorization headers, API keys, account logins. The importer reports each with its line and
// can replace the secret part with [REDACTED] before anything is saved.

export type SecretFinding = {
  line: number;
  /** Offsets of the secret value in the text (end exclusive). */
  start: number;
  end: number;
  message: string;
};

export const REDACTED = '[REDACTED]';

type Rule = {
  pattern: RegExp;
  /** Index of the capture group holding the secret value. */
  group: number;
  message: (value: string) => string;
  /** Skip values that are clearly not secrets (URLs, shell variables). */
  skip?: (value: string) => boolean;
};

const isVariable = (value: string) => /^(?:\$\{?[A-Za-z_]|\{\{|%[A-Za-z_]+%)/.test(value);
const isRedacted = (value: string) => value.includes(REDACTED);

const RULES: Rule[] = [
  {
    // mysql -u root -p'secret', -p"secret", -psecret (mysql/mariadb take the password glued to -p)
    pattern: /(?<=\s)-p(['"]?)([^\s'"]{3,})\1/g,
    group: 2,
    message: () => 'A database password on the command line (`-p…`)',
    skip: isVariable,
  },
  {
    pattern: /--password[= ](['"]?)([^\s'"]{3,})\1/gi,
    group: 2,
    message: () => 'A password on the command line (`--password`)',
    skip: isVariable,
  },
  {
    pattern: /\b(?:authorization|x-api-key|api-key|x-auth-token)\s*:\s*((?:bearer|basic|token|oauth|apikey)\s+)?([^\s'"\\]+)/gi,
    group: 2,
    message: () => 'A credential in an Authorization header',
    skip: isVariable,
  },
  {
    // "Login: hosting215275" — an account name next to the word Login (not a URL)
    pattern: /\b(?:login|benutzer(?:name)?|username|user(?:id)?)\s*:\s*([^\s]+)/gi,
    group: 1,
    message: () => 'An account login',
    skip: (value) => /^(?:https?:|\/|<|\[)/i.test(value) || isVariable(value),
  },
  {
    pattern: /\b(?:password|passwort|passwd|pwd|kennwort|secret|api[_-]?key|access[_-]?key|auth[_-]?token|token)\b\s*[:=]\s*(['"]?)([^\s'"]{4,})\1/gi,
    group: 2,
    message: () => 'A password, key or token',
    skip: (value) => isVariable(value) || /^(?:\[|<|\(|true|false|null)/i.test(value),
  },
  {
    // user:password@host inside a URL. The scheme is bounded: unbounded, each word of a long
    // `a.b.c.d…` run would start a scan to the end of the run (quadratic).
    pattern: /\b[a-z][a-z0-9+.-]{0,40}:\/\/[^\s:/@]+:([^\s@/]+)@/gi,
    group: 1,
    message: () => 'A password inside a URL',
    skip: isVariable,
  },
  {
    pattern: /\b(AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|xox[abposr]-[A-Za-z0-9-]{10,}|sk_(?:live|test)_[A-Za-z0-9]{16,}|glpat-[A-Za-z0-9_-]{20,})\b/g,
    group: 1,
    message: () => 'An access key',
  },
  {
    pattern: /(-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----)/g,
    group: 1,
    message: () => 'A private key',
  },
];

function lineAt(lineStarts: number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (lineStarts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return low + 1;
}

/** Every secret found, in text order; overlapping findings are reported once. */
export function findSecrets(text: string): SecretFinding[] {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const findings: SecretFinding[] = [];
  for (const rule of RULES) {
    for (const match of text.matchAll(rule.pattern)) {
      const value = match[rule.group];
      if (!value || isRedacted(value) || rule.skip?.(value)) continue;
      // The value's offset: search from the end of the match backwards so a repeated word is not confused.
      const start = match.index + match[0].lastIndexOf(value);
      findings.push({ line: lineAt(lineStarts, start), start, end: start + value.length, message: rule.message(value) });
    }
  }
  findings.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: SecretFinding[] = [];
  for (const finding of findings) if (finding.start >= (kept.at(-1)?.end ?? 0)) kept.push(finding);
  return kept;
}

/** Replaces every finding's value with [REDACTED]. */
export function redactSecrets(text: string, findings: SecretFinding[]): string {
  let out = '';
  let at = 0;
  for (const finding of findings) {
    out += text.slice(at, finding.start) + REDACTED;
    at = finding.end;
  }
  return out + text.slice(at);
}
