// Secret scanning on a labelled corpus (tests/fixtures/secrets/labelled.json): real-shaped
// credentials of many kinds (made up for this test) and look-alikes that are not secrets (flags that
// prompt, placeholders, documentation examples). Precision and recall are printed and held to
// the goals of issue #20; redaction must change nothing but the secret.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSecrets, REDACTED, redactSecrets } from '@/lib/runbooks/import/secrets';

type Labelled = { kind: string; text: string; secret: string | null };
const corpus = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../fixtures/secrets/labelled.json'), 'utf8')) as Labelled[];
const secrets = corpus.filter((entry) => entry.secret !== null);
const lookAlikes = corpus.filter((entry) => entry.secret === null);

describe('secret scanning on the labelled corpus', () => {
  it('is big enough to mean something', () => {
    expect(secrets.length).toBeGreaterThanOrEqual(40);
    expect(new Set(secrets.map((s) => s.kind)).size).toBeGreaterThanOrEqual(15);
    expect(lookAlikes.length).toBeGreaterThanOrEqual(40);
  });

  it(`reaches recall ≥ 95 % and precision ≥ 90 %, and redacts only the secret`, async () => {
    let truePositives = 0;
    let falsePositives = 0;
    const missed: string[] = [];
    const falseAlarms: string[] = [];
    const badRedactions: string[] = [];
    for (const entry of corpus) {
      const found = await findSecrets(entry.text);
      if (entry.secret === null) {
        falsePositives += found.length;
        for (const f of found) falseAlarms.push(`${entry.text.slice(f.start, f.end)}  ←  ${entry.text.split('\n')[0]}`);
        continue;
      }
      const at = entry.text.indexOf(entry.secret);
      const hit = found.find((f) => f.start <= at && f.end >= at + entry.secret!.length);
      if (hit) truePositives++;
      else missed.push(`${entry.kind}: ${entry.text.split('\n')[0]}`);
      // Anything else flagged in a line with a secret is a false alarm too.
      falsePositives += found.filter((f) => f !== hit).length;
      const expected = entry.text.slice(0, at) + REDACTED + entry.text.slice(at + entry.secret.length);
      if (hit && redactSecrets(entry.text, found) !== expected) badRedactions.push(`${entry.kind}: ${redactSecrets(entry.text, found).split('\n')[0]}`);
    }
    const recall = truePositives / secrets.length;
    const precision = truePositives / (truePositives + falsePositives);
    console.log(
      `Secret scanning: recall ${(recall * 100).toFixed(1)} % (${truePositives}/${secrets.length} secrets of ${new Set(secrets.map((s) => s.kind)).size} kinds), ` +
        `precision ${(precision * 100).toFixed(1)} % (${falsePositives} false alarms on ${lookAlikes.length} look-alikes)`,
    );
    if (missed.length) console.log(`missed:\n  ${missed.join('\n  ')}`);
    if (falseAlarms.length) console.log(`false alarms:\n  ${falseAlarms.join('\n  ')}`);
    if (badRedactions.length) console.log(`redactions that changed more than the secret:\n  ${badRedactions.join("\n  ")}`);
    expect(badRedactions).toEqual([]);
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(precision).toBeGreaterThanOrEqual(0.9);
  });

  it('never reaches across a line break, and never takes a backtick', async () => {
    const text = ['Set the password:', '```', 'kubectl -n db exec -it pg-0 -- psql', '```', 'Create secret: `kubectl create secret generic x --from-literal=a=b`'].join('\n');
    expect(await findSecrets(text)).toEqual([]);
    const inline = 'Run `PGPASSWORD=S3cr3tValue9 psql -h db` once.';
    const [finding] = await findSecrets(inline);
    expect(redactSecrets(inline, [finding!])).toBe('Run `PGPASSWORD=[REDACTED] psql -h db` once.');
  });
});

// The scan reads every imported document whole, so its cost must grow in step with the size:
// each family here once took seconds to minutes at 1 MB (a pattern scanning from every word of
// `a.a.a.…`, a keyword that backtracked over `TOKENTOKEN…`, a private key without its END).
// CPU time of the scan itself is measured (a busy machine can't fail it); a quadratic scan
// takes well over ten times the budget at this size.
describe('secret scanning cost', () => {
  const SIZE = 1_000_000;
  const CPU_BUDGET_MS = 3_000;
  const repeat = (unit: string) => unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE);
  const families = ['a.', 'a-', 'a ', 'TOKEN', 'A_TOKEN=', 'password: x ', 'mysql -p', 'curl -u a:', 'https://a:b@', 'authorization: ', '-----BEGIN PRIVATE KEY-----\n', '-----BEGIN RSA PRIVATE KEY-----\nabc\n', 'ghp_', 'login: '];

  it.each(families)('stays within the CPU budget on 1 MB of %j', { timeout: 120_000 }, async (unit) => {
    const text = repeat(unit);
    const before = process.cpuUsage();
    await findSecrets(text);
    const used = process.cpuUsage(before);
    expect((used.user + used.system) / 1000).toBeLessThan(CPU_BUDGET_MS);
  });
});
