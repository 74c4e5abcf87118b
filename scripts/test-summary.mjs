// Sums Vitest's and Playwright's JSON reports into one closing line, "N passed, N failed", and
// exits non-zero when any test or step (lint, typecheck) failed.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const [dir, ...failedSteps] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;

for (const name of ['vitest', 'survival']) {
  const file = path.join(dir, `${name}.json`);
  if (existsSync(file)) {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
    for (const file of report.testResults) {
      const skips = file.assertionResults.filter((test) => test.status === 'skipped' || test.status === 'pending');
      if (!skips.length) continue;
      // A file that never asks to skip had its tests skipped because its setup (beforeAll) threw.
      // Vitest can lose that error (it failed reading a stack the error quoted) and still pass.
      const asks = /\.skip(If)?\(/.test(readFileSync(file.name, 'utf8'));
      for (const test of skips) console.log(`${asks ? 'Skipped' : 'NOT RUN (its setup failed)'}: ${path.relative(process.cwd(), file.name)} › ${test.fullName}`);
      if (!asks) failed += skips.length;
    }
  } else {
    failedSteps.push(`${name} (no report)`);
  }
}

const playwrightFile = path.join(dir, 'playwright.json');
if (existsSync(playwrightFile)) {
  const { stats } = JSON.parse(readFileSync(playwrightFile, 'utf8'));
  passed += stats.expected + stats.flaky;
  failed += stats.unexpected;
  skipped += stats.skipped;
} else {
  failedSteps.push('playwright (no report)');
}

if (failedSteps.length) console.log(`Failed steps: ${failedSteps.join(', ')}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || failedSteps.length > 0 ? 1 : 0);
