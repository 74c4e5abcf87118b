// Credentials that teams paste into playbooks. Two sources, merged:
// - secretlint's recommended preset (a maintained rule family: cloud keys, GitHub/GitLab/npm/Slack
//   tokens, webhooks, private keys, connection strings…), run as a library;
// - rules for what playbooks hold and token scanners don't look for: passwords on command lines
//   (`mysql -p…`, `--password=`, `PGPASSWORD=`, `curl -u user:pass`, `redis-cli -a`), `KEY=value`
//   assignments, Authorization headers and account logins.
// A finding is only the secret itself (never the flag, the quote, the backtick or the line
// break around it), so redaction changes nothing else. Placeholders (`<password>`, `$DB_PASSWORD`,
// `changeme`) and flags that prompt (`psql --password`) are not secrets.
import { lintSource } from '@secretlint/core';
import { creator as recommendedPreset } from '@secretlint/secretlint-rule-preset-recommend';

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
  message: string;
  /** When set, the first capture group (a variable's name) must match it. */
  name?: RegExp;
  /** Skip values that are clearly not secrets (extra to the placeholders every rule skips). */
  skip?: (value: string) => boolean;
  /** Only `$VAR`, `<…>`, `{{…}}` count as placeholders: a header value in capitals is still flagged. */
  syntacticPlaceholdersOnly?: boolean;
};

const SYNTACTIC_PLACEHOLDER = /^(?:\$\{?[A-Za-z_]|\$\(|\{\{|\{%|%[A-Za-z_]+%|<[^>]*>?$|\[[^\]]*\]?$|\(|`)/;

/** `$VAR`, `${VAR}`, `{{ var }}`, `%VAR%`, `<password>`, `[REDACTED]`, `changeme`, `xxxx`, `****`. */
export function isPlaceholder(value: string, syntacticOnly = false): boolean {
  const v = value.replace(/^['"`]+|['"`]+$/g, '');
  if (!v || v.includes(REDACTED)) return true;
  if (SYNTACTIC_PLACEHOLDER.test(v)) return true;
  if (syntacticOnly) return false;
  if (/^(?:x+|\*+|\.+|-+|_+|#+|0+|1234(?:5678?)?|abc(?:123)?|true|false|null|none|nil|undefined|yes|no|on|off|required|optional|string|prompt|ask)$/i.test(v)) return true;
  if (/^(?:changeme|change[-_]?me|change[-_]?it|password\d*|passw(?:or)?d|passwort|secret|mysecret|mypassword|your[-_]?\w*|my[-_]?(?:password|secret|token|key)|example\w*|sample\w*|dummy\w*|placeholder|redacted|replace[-_]?me|todo|tbd|fixme|foo|bar|foobar|test|testing|admin|root|user(?:name)?|pass|pwd|token|api[-_]?key|secret[-_]?key|access[-_]?key|value|hunter2|letmein|s3cr3t)$/i.test(v)) return true;
  if (/^[A-Z][A-Z0-9_]*$/.test(v) && /(?:PASSWORD|SECRET|TOKEN|KEY|PASS)/.test(v)) return true; // "PASSWORD_HERE", "MY_TOKEN"
  if (/example/i.test(v)) return true; // AWS's documented AKIAIOSFODNN7EXAMPLE and friends
  return false;
}

const VALUE = String.raw`([^\s'"\x60<>]+)`;

const RULES: Rule[] = [
  {
    // mysql -u root -p'secret', -p"secret", -psecret: mysql and mariadb take the password glued to -p.
    pattern: new RegExp(String.raw`\b(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump|mysqlimport|mysqlcheck)\b[^\n]{0,200}?\s-p(['"]?)([^\s'"]{3,})\1`, 'g'),
    group: 2,
    message: 'A database password on the command line (`-p…`)',
  },
  {
    // --password=secret always carries the value. "--password secret" carries it only when quoted or
    // secret-looking: for psql and mysql a bare --password prompts and the next word is something else.
    pattern: /--(?:password|passwd|pass|db-password|admin-password|client-secret|secret|token|api-key|access-key|secret-key)(?:=(['"]?)([^\s'"`]+)\1|[ \t]+(['"])([^'"\n`]+)\3)/gi,
    group: 2,
    message: 'A password or token on the command line',
  },
  {
    // PGPASSWORD=…, MYSQL_PWD=…, AWS_SECRET_ACCESS_KEY=…, DB_PASSWORD: … (the `_` before SECRET is part of the name)
    // The name is matched as a whole run of name characters (starting inside one, `a.a.a.…`, makes
    // every position scan to the run's end) and checked for its keyword afterwards (a keyword
    // inside the pattern made `TOKENTOKEN…` backtrack quadratically).
    pattern: new RegExp(String.raw`(?<![A-Za-z0-9_.-])([A-Za-z0-9_.-]{1,120})[ \t]*(?:=|:[ \t])[ \t]*(['"]?)${VALUE}\2`, 'g'),
    name: /(?:PASSWORD|PASSWD|_PWD|PGPASSWORD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?)[A-Za-z0-9_]*$/i,
    group: 3,
    message: 'A password, key or token assigned to a variable',
    // A file path (`…_PASSWORD_FILE=/run/secrets/db`) or a URL without a password names where the secret is.
    skip: (value) => value.length < 4 || /^\d{1,5}$/.test(value) || /^(?:\.{0,2}\/|https?:\/\/[^@]*$)/.test(value),
  },
  {
    // curl -u user:pass, wget --user=… --password=…, http(ie) -a user:pass
    pattern: /\b(?:curl|http|https|xh)\b[^\n]{0,200}?\s(?:-u|--user|-a|--auth)[ =](['"]?)[^\s:'"]+:([^\s'"]+)\1/g,
    group: 2,
    message: 'A password in a `user:password` option',
  },
  {
    pattern: /\bredis-cli\b[^\n]{0,200}?\s(?:-a|--pass|--askpass\s+\S+\s+-a)[ \t]+(['"]?)([^\s'"]+)\1/g,
    group: 2,
    message: 'A Redis password on the command line (`redis-cli -a`)',
  },
  {
    // Not after "//": "https://x-access-token:…@host" is a URL's user, handled below.
    pattern: /(?<![\w/-])(?:authorization|x-api-key|api-key|x-auth-token|x-access-token|private-token)[ \t]*:[ \t]*((?:bearer|basic|token|oauth|apikey|digest)[ \t]+)?([^\s'"\\`@]+)/gi,
    group: 2,
    message: 'A credential in an Authorization header',
    syntacticPlaceholdersOnly: true,
  },
  {
    // "Login: hosting215275": an account name next to the word Login (not a URL).
    pattern: /\b(?:login|benutzer(?:name)?|username|user(?:id)?)[ \t]*:[ \t]*([^\s`]+)/gi,
    group: 1,
    message: 'An account login',
    skip: (value) => /^(?:https?:|\/|<|\[|\*)/i.test(value) || /^[a-z]+$/.test(value) || /[.,;:]$/.test(value),
  },
  {
    // password: secret, Passwort = geheim. Same line only: a line break before the value once
    // flagged (and redacted) the next line, a code fence.
    pattern: /(?<![-\w./])(?:password|passwort|passwd|pwd|kennwort|secret|api[_-]?key|access[_-]?key|auth[_-]?token|token)\b[ \t]*[:=][ \t]*(['"]?)([^\s'"`@]{4,})\1/gi,
    group: 2,
    message: 'A password, key or token',
  },
  {
    // user:password@host inside a URL. The scheme is bounded: unbounded, each word of a long
    // `a.b.c.d…` run would start a scan to the end of the run (quadratic).
    pattern: /\b[a-z][a-z0-9+.-]{0,40}:\/\/[^\s:/@]+:([^\s@/]+)@/gi,
    group: 1,
    message: 'A password inside a URL',
  },
  {
    pattern: /\b(AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,}|xox[abposr]-[A-Za-z0-9-]{10,}|sk_(?:live|test)_[A-Za-z0-9]{16,}|glpat-[A-Za-z0-9_-]{20,}|AIza[0-9A-Za-z_-]{35})\b/g,
    group: 1,
    message: 'An access key',
  },
  {
    pattern: /https:\/\/(?:discord(?:app)?\.com\/api\/webhooks\/\d+\/([A-Za-z0-9_-]{20,})|[a-z0-9-]+\.webhook\.office\.com\/webhookb2\/([^\s'"`)]+))/g,
    group: 1,
    message: 'A chat webhook URL',
  },
  {
    // The body stops at the next BEGIN or END line: a lazy `[\s\S]*?` let every BEGIN without an
    // END scan to the end of the document (quadratic on a file of BEGIN lines).
    pattern: /(-----BEGIN [A-Z ]*PRIVATE KEY-----(?:(?!-----(?:BEGIN|END) )[\s\S])*-----END [A-Z ]*PRIVATE KEY-----)/g,
    group: 1,
    message: 'A private key',
  },
];

const PRESET_MESSAGES: Record<string, string> = {
  'secretlint-rule-aws': 'An AWS access key',
  'secretlint-rule-gcp': 'A Google Cloud key',
  'secretlint-rule-github': 'A GitHub token',
  'secretlint-rule-slack': 'A Slack token or webhook',
  'secretlint-rule-npm': 'An npm token',
  'secretlint-rule-privatekey': 'A private key',
  'secretlint-rule-basicauth': 'A password inside a URL',
  'secretlint-rule-database-connection-string': 'A password in a database connection string',
  'secretlint-rule-sendgrid': 'A SendGrid key',
  'secretlint-rule-shopify': 'A Shopify token',
  'secretlint-rule-openai': 'An OpenAI key',
  'secretlint-rule-anthropic': 'An Anthropic key',
  'secretlint-rule-linear': 'A Linear key',
  'secretlint-rule-1password': 'A 1Password token',
  'secretlint-rule-azure': 'An Azure key',
};

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

/**
 * The part of a preset finding that is the secret: the password of `scheme://user:pass@host`,
 * the token path of a webhook URL, never surrounding quotes or backticks.
 */
function narrow(text: string, start: number, end: number): { start: number; end: number } {
  let value = text.slice(start, end);
  const userinfo = /^[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:([^\s@/]+)@/i.exec(value);
  if (userinfo) {
    const at = value.indexOf(userinfo[1]!, value.indexOf('://') + 3);
    return { start: start + at, end: start + at + userinfo[1]!.length };
  }
  const url = /^[Hh][Tt][Tt][Pp][Ss]?:\/\/[^/\s]+\/(?:[a-z]+\/)*(.+)$/.exec(value);
  if (url) {
    // Webhook URLs: the path after its fixed words (`/services/`, `/api/webhooks/`) is the credential.
    const at = value.length - url[1]!.length;
    start += at;
    value = url[1]!;
  }
  const assignment = /^[A-Za-z_][\w.-]*[ \t]*[=:][ \t]*['"]?/.exec(value);
  if (assignment && !url) {
    // `AWS_SECRET_ACCESS_KEY=…`: the value, not the name.
    start += assignment[0].length;
    value = value.slice(assignment[0].length);
  }
  while (value && /['"`\s]/.test(value[0]!)) {
    start++;
    value = value.slice(1);
  }
  while (value && /['"`\s]/.test(value.at(-1)!)) {
    end--;
    value = value.slice(0, -1);
  }
  return { start, end: start + value.length };
}

async function presetFindings(text: string): Promise<{ start: number; end: number; message: string }[]> {
  const result = await lintSource({
    source: { content: text, filePath: 'runbook.md', ext: '.md', contentType: 'text' },
    options: { config: { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommendedPreset }] }, maskSecrets: false },
  });
  return result.messages.map((message) => {
    const rule = message.ruleId.replace(/^@secretlint\//, '');
    const { start, end } = narrow(text, message.range[0], message.range[1]);
    return { start, end, message: PRESET_MESSAGES[rule] ?? 'A key or token' };
  });
}

/** Every secret found, in text order; overlapping findings are reported once. */
export async function findSecrets(text: string): Promise<SecretFinding[]> {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const found: { start: number; end: number; message: string }[] = [];
  for (const rule of RULES) {
    for (const match of text.matchAll(rule.pattern)) {
      // A rule with two spellings ("--password=x", "--password 'x'") holds the second value two groups on.
      const value = match[rule.group] ?? match[rule.group + 2];
      if (rule.name && !rule.name.test(match[1] ?? '')) continue;
      if (!value || isPlaceholder(value, rule.syntacticPlaceholdersOnly) || rule.skip?.(value)) continue;
      // The value's offset: search from the end of the match backwards so a repeated word is not confused.
      const start = match.index + match[0].lastIndexOf(value);
      found.push({ start, end: start + value.length, message: rule.message });
    }
  }
  for (const finding of await presetFindings(text)) {
    if (finding.end > finding.start && !isPlaceholder(text.slice(finding.start, finding.end))) found.push(finding);
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: SecretFinding[] = [];
  for (const finding of found) {
    const last = kept.at(-1);
    if (last && finding.start < last.end) {
      // Overlapping: one finding covering both, named by the first.
      last.end = Math.max(last.end, finding.end);
      continue;
    }
    kept.push({ ...finding, line: lineAt(lineStarts, finding.start) });
  }
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
