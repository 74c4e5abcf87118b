// The importer scored on real public runbooks of different shapes (tests/fixtures/runbooks/README.md
// lists them with their source and licence). For each file the expected result was written by
// hand (tests/fixtures/runbooks/expected/*.json): the runbooks a responder would want, and their
// steps with the command each one runs. The documents themselves are not committed (third-party
// text); the test reads them from SITREP_RUNBOOK_CORPUS or ../shared/runbook-corpus and skips,
// saying so, when they are absent.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importRunbookMarkdown, type ImportResult } from '@/lib/runbooks/import';

type ExpectedStep = [title: string, command: string | null];
type Expected = { source: string; titleOptional?: boolean; warning?: string; runbooks: { title: string; steps: ExpectedStep[] }[] };

const expectedDir = path.resolve(import.meta.dirname, '../fixtures/runbooks/expected');
const corpusDir = process.env.SITREP_RUNBOOK_CORPUS ? path.resolve(process.env.SITREP_RUNBOOK_CORPUS) : path.resolve(import.meta.dirname, '../../../shared/runbook-corpus');
const expectations = readdirSync(expectedDir)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => ({ id: file.replace(/\.json$/, ''), ...(JSON.parse(readFileSync(path.join(expectedDir, file), 'utf8')) as Expected) }));
const present = existsSync(corpusDir) && expectations.every((e) => existsSync(path.join(corpusDir, e.source)));

const STOP = new Set(['the', 'a', 'an', 'to', 'of', 'and', 'or', 'in', 'on', 'for', 'with', 'is', 'are', 'be', 'it', 'if', 'you', 'your', 'this', 'that', 'by', 'can', 'from', 'at', 'as', 'any', 'all']);
const words = (text: string) =>
  text
    .toLowerCase()
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*_"“”'’]/g, '')
    .split(/[^a-z0-9/.:#<>=-]+/)
    .map((w) => w.replace(/^[.:]+|[.:]+$/g, ''))
    .filter((w) => w && !STOP.has(w));
const squash = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();

/** Most of the expected title's words are in the step's title (or nearly all of them in its title and detail). */
function titleMatches(expected: string, actual: string, detail = ''): boolean {
  const want = words(expected);
  if (!want.length) return false;
  const share = (text: string) => {
    const have = new Set(words(text));
    return want.filter((w) => have.has(w)).length / want.length;
  };
  return share(actual) >= 0.6 || (detail !== '' && share(`${actual} ${detail}`) >= 0.85);
}

const commandMatches = (expected: string, actual: string | null) => actual !== null && squash(actual).includes(squash(expected));

type Score = { id: string; runbooks: string; steps: string; commands: string; junk: string; lost: string; score: number };

function score(expected: Expected & { id: string }, result: ImportResult): Score {
  if (expected.runbooks.length === 0) {
    const right = result.runbooks.length === 0 && result.warnings.some((w) => w.kind === expected.warning);
    return { id: expected.id, runbooks: `${result.runbooks.length}/0`, steps: '-', commands: '-', junk: '-', lost: '-', score: right ? 10 : 0 };
  }
  const actualSteps = result.runbooks.flatMap((runbook, r) => runbook.phases.flatMap((phase) => phase.steps.map((step) => ({ ...step, r, used: false }))));
  const everything = squash(JSON.stringify(result.runbooks));
  let runbooksFound = 0;
  let stepsExpected = 0;
  let stepsFound = 0;
  let commandsExpected = 0;
  let commandsRight = 0;
  let lost = 0;
  for (const want of expected.runbooks) {
    const r = result.runbooks.findIndex((runbook) => squash(runbook.title) === squash(want.title) || titleMatches(want.title, runbook.title));
    if (r >= 0 || expected.titleOptional) runbooksFound++;
    for (const [title, command] of want.steps) {
      stepsExpected++;
      if (command) commandsExpected++;
      // Prefer the runbook of the same title; a step filed under another runbook still counts as found.
      const candidates = [...actualSteps.filter((s) => s.r === r), ...actualSteps.filter((s) => s.r !== r)];
      const hit =
        candidates.find((s) => !s.used && (titleMatches(title, s.title) || (command !== null && commandMatches(command, s.command)))) ??
        candidates.find((s) => !s.used && titleMatches(title, s.title, s.detail));
      if (hit) {
        hit.used = true;
        stepsFound++;
        if (command && commandMatches(command, hit.command)) commandsRight++;
      } else {
        const key = command ?? title;
        const keyWords = words(key);
        const inOutput = command ? everything.includes(squash(command)) : keyWords.filter((w) => everything.includes(w)).length / Math.max(1, keyWords.length) >= 0.8;
        if (!inOutput) lost++;
      }
    }
  }
  const junk = actualSteps.filter((s) => !s.used).length;
  const runbookShare = runbooksFound / expected.runbooks.length;
  // Extra runbooks the document does not hold are junk too (a split where there should be none).
  const extraRunbooks = Math.max(0, result.runbooks.length - expected.runbooks.length);
  const splitShare = runbookShare * (expected.runbooks.length / (expected.runbooks.length + extraRunbooks));
  const recall = stepsFound / stepsExpected;
  const commands = commandsExpected ? commandsRight / commandsExpected : 1;
  const junkShare = actualSteps.length ? junk / actualSteps.length : 0;
  const lostShare = lost / stepsExpected;
  const total = 10 * (0.2 * splitShare + 0.35 * recall + 0.2 * commands + 0.15 * (1 - junkShare) + 0.1 * (1 - lostShare));
  return {
    id: expected.id,
    runbooks: `${runbooksFound}/${expected.runbooks.length}${extraRunbooks ? ` +${extraRunbooks}` : ''}`,
    steps: `${stepsFound}/${stepsExpected}`,
    commands: `${commandsRight}/${commandsExpected}`,
    junk: `${junk}/${actualSteps.length}`,
    lost: `${lost}`,
    score: Math.round(total * 10) / 10,
  };
}

const suite = present ? 'the runbook corpus' : `the runbook corpus: SKIPPED, its documents are not in ${corpusDir} (see tests/fixtures/runbooks/README.md)`;
if (!present) console.warn(`Skipping the runbook corpus score: ${corpusDir} does not hold the documents listed in tests/fixtures/runbooks/README.md.`);

describe('the hand-written expectations', () => {
  it('cover at least 15 real runbooks', () => {
    expect(expectations.length).toBeGreaterThanOrEqual(15);
    for (const e of expectations) expect(e.runbooks.every((r) => r.steps.length > 0)).toBe(true);
  });
});

describe.skipIf(!present)(suite, () => {
  it('scores every file and prints the corpus score', async () => {
    const scores: Score[] = [];
    for (const expected of expectations) {
      const result = await importRunbookMarkdown(readFileSync(path.join(corpusDir, expected.source), 'utf8'));
      scores.push(score(expected, result));
    }
    const mean = scores.reduce((sum, s) => sum + s.score, 0) / scores.length;
    const lines = scores.map((s) => `${s.id.padEnd(40)} ${String(s.score).padStart(4)}  runbooks ${s.runbooks.padEnd(8)} steps ${s.steps.padEnd(7)} commands ${s.commands.padEnd(6)} junk ${s.junk.padEnd(7)} lost ${s.lost}`);
    console.log(`Runbook corpus (${scores.length} files), score out of 10:\n${lines.join('\n')}\ncorpus score ${mean.toFixed(1)}/10; ${scores.filter((s) => s.score >= 8).length} of ${scores.length} files at 8 or more`);
    expect(mean).toBeGreaterThanOrEqual(8);
    expect(Math.min(...scores.map((s) => s.score))).toBeGreaterThanOrEqual(6);
  }, 120_000);
});
