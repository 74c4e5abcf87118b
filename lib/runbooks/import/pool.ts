// Reading Markdown runs on a worker thread with a deadline, so one hostile or huge document
// cannot hold the request thread (and every other request) while the parser works through it.
// The pool is small: imports are rare, and each one may use a whole core until its deadline.
// Starting a thread costs a few seconds (it loads the importer through tsx), so an idle thread
// is kept for a while; the deadline leaves room for that start.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Tinypool } from 'tinypool';
import { DomainError } from '@/lib/platform/errors';
import type { ImportOptions, ImportResult } from './index';

/** How long one document may take to read; past it the worker is stopped and the import refused. */
export const IMPORT_DEADLINE_MS = 20_000;

export class ImportTooSlowError extends DomainError {
  constructor(seconds: number, bytes: number) {
    super(
      422,
      'Markdown too slow to read',
      `Reading this Markdown (${Math.round(bytes / 1024)} KiB) took longer than ${seconds} s, so Sitrep stopped. ` +
        'Split the document into smaller files, or remove the part that is not a runbook (very long tables, deeply nested lists, runs of * or [ characters).',
    );
  }
}

let pool: Tinypool | null = null;

// The worker is a source file. Run from source (CLI, tests) it sits beside this module; in the
// Next.js build this module is bundled elsewhere, and `next start` runs from the project folder.
function workerFile(): string {
  const candidates = [path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker.mjs'), path.resolve(process.cwd(), 'lib/runbooks/import/worker.mjs')];
  const file = candidates.find((candidate) => existsSync(candidate));
  if (!file) throw new Error(`The runbook importer's worker is missing (looked in ${candidates.join(', ')}); start Sitrep from its project folder.`);
  return file;
}

function importPool(): Tinypool {
  // Once used, one thread stays ready: the next import does not pay the start again.
  pool ??= new Tinypool({ filename: workerFile(), minThreads: 1, maxThreads: 2, idleTimeout: 10 * 60_000 });
  return pool;
}

/** Starts the worker thread ahead of the first import (the import page calls it when it renders). */
export function warmImportPool(): void {
  try {
    importPool();
  } catch {
    // A missing worker file is reported by the import itself, with its message.
  }
}

/** Runs the importer off the request thread; refuses the document once `deadlineMs` has passed. */
export async function readRunbookMarkdown(markdown: string, options: ImportOptions, deadlineMs = IMPORT_DEADLINE_MS): Promise<ImportResult> {
  const signal = AbortSignal.timeout(deadlineMs);
  try {
    return (await importPool().run({ markdown, options }, { signal })) as ImportResult;
  } catch (error) {
    // Tinypool stops the thread of an aborted task, so the runaway parse ends with it.
    if (signal.aborted) throw new ImportTooSlowError(Math.round(deadlineMs / 1000), Buffer.byteLength(markdown));
    throw error;
  }
}

/** Stops the worker threads (tests, CLI exit). */
export async function closeImportPool(): Promise<void> {
  const current = pool;
  pool = null;
  await current?.destroy();
}
