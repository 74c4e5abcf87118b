// The production build (`next build`, then the web server's bundle) and whether it is current.
// Used by `npm start`, by the survival tests and by `npm run bench`, which all run the production
// server.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The checkout: the folder of Sitrep's package.json above this module, which is in
 * scripts/support/ or, bundled into the production server, in .next/sitrep/.
 */
export const root = projectRoot(import.meta.dirname);

function projectRoot(from: string): string {
  for (let folder = from; ; folder = path.dirname(folder)) {
    const manifest = path.join(folder, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'sitrep') return folder;
    if (path.dirname(folder) === folder) throw new Error(`Sitrep's package.json is not in ${from} or above it.`);
  }
}

/** The production web server, scripts/serve.ts bundled (bundle-server.ts), relative to the checkout. */
export const SERVER_BUNDLE_DIR = '.next/sitrep';
export const nextBin = path.join(root, 'node_modules/next/dist/bin/next');

/**
 * The production web server's JavaScript heap (old generation), in MB. Uncapped, Node lets it grow
 * toward its default limit (about 4 GB on a 24 GiB machine) before collecting hard, because
 * nothing asks for the memory back: 60 s of mixed load left a fresh server at 0.7–1 GB of RSS,
 * nearly all of it garbage. Capped, the same load ends at about 385 MB and runs no slower. A server
 * whose pages have all loaded uses about 160 MB of heap; each open live stream holds about 22 KB.
 * NODE_OPTIONS=--max-old-space-size=<MB> (or a caller's own flag) chooses another size.
 */
export const SERVER_HEAP_MB = 384;

/** The Node flags chosen for a process: `extra`, then those of NODE_OPTIONS. */
export function chosenNodeFlags(extra: readonly string[] = []): string[] {
  return [...extra, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean)];
}

/** How to start Sitrep's web server (scripts/serve.ts, bundled in production) with `process.execPath`, after any Node flags of the caller's. */
export function serverArguments(options: { port: number; hostname: string; dev?: boolean; nodeArguments?: string[] }): string[] {
  const nodeArguments = options.nodeArguments ?? [];
  const heapChosen = chosenNodeFlags(nodeArguments).some((flag) => flag.startsWith('--max-old-space-size'));
  const heap = options.dev || heapChosen ? [] : [`--max-old-space-size=${SERVER_HEAP_MB}`];
  return [
    ...nodeArguments,
    ...heap,
    '--conditions=react-server',
    // Production runs the bundle that ensureBuild made; `npm run dev` the source, so edits reload.
    ...(options.dev ? ['--import', 'tsx', path.join(root, 'scripts/serve.ts')] : [path.join(root, SERVER_BUNDLE_DIR, 'serve.mjs')]),
    '--port',
    String(options.port),
    '--hostname',
    options.hostname,
    ...(options.dev ? ['--dev'] : []),
  ];
}

// What a production build is made from; a change to any of it makes the build stale.
// scripts/serve.ts and scripts/support/ are the server bundle's.
const BUILD_INPUTS = ['app', 'components', 'lib', 'public', 'proxy.ts', 'instrumentation.ts', 'next.config.js', 'postcss.config.mjs', 'tsconfig.json', 'package.json', 'package-lock.json', 'scripts/serve.ts', 'scripts/support'];
const MARKER = path.join(root, '.next/sitrep-build-fingerprint');

function sourcesHash(): string {
  const hash = createHash('sha256');
  const visit = (entry: string) => {
    const full = path.join(root, entry);
    if (!existsSync(full)) return;
    const stat = statSync(full);
    if (stat.isDirectory()) {
      for (const child of readdirSync(full).sort()) if (!child.endsWith('.test.ts')) visit(path.join(entry, child));
    } else {
      hash.update(entry).update(readFileSync(full));
    }
  };
  BUILD_INPUTS.forEach(visit);
  return hash.digest('hex');
}

// Next writes the server-actions key into the build, so a build is current only for the key it
// was made with: `sources:key`.
function fingerprint(key: string): string {
  return `${sourcesHash()}:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

/**
 * Builds unless a build of the current sources exists. With `anyKey` a build made with another
 * server-actions key counts as current (tests and the benchmark run their own throw-away
 * instances, which only need every instance to share one key: the build's).
 */
export function ensureBuild(childEnv: NodeJS.ProcessEnv, options: { anyKey?: boolean; say?: (line: string) => void } = {}): void {
  const say = options.say ?? ((line: string) => console.log(`[sitrep] ${line}`));
  const wanted = fingerprint(childEnv.NEXT_SERVER_ACTIONS_ENCRYPTION_KEY ?? '');
  const current = () => {
    const built = [path.join(root, '.next/BUILD_ID'), path.join(root, SERVER_BUNDLE_DIR, 'serve.mjs'), MARKER].every((file) => existsSync(file));
    const have = built ? readFileSync(MARKER, 'utf8') : null;
    return have === wanted || (options.anyKey === true && have?.split(':')[0] === wanted.split(':')[0]);
  };
  if (current()) return;
  // Two processes building into one .next at once would corrupt it: one builds, the other waits.
  withBuildLock(say, () => {
    if (current()) return; // the other process just built it
    say('Building the production bundle (about a minute on a small machine)…');
    const started = Date.now();
    const result = spawnSync(process.execPath, [nextBin, 'build'], { cwd: root, env: childEnv, stdio: 'inherit' });
    if (result.status !== 0) throw new Error('The production build failed; see the output above.');
    const bundled = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/support/bundle-server.ts')], { cwd: root, env: childEnv, stdio: 'inherit' });
    if (bundled.status !== 0) throw new Error('Bundling the web server (scripts/support/bundle-server.ts) failed; see the output above.');
    writeFileSync(MARKER, wanted);
    say(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  });
}

const LOCK = path.join(root, '.next-build.lock');

function withBuildLock(say: (line: string) => void, build: () => void): void {
  const deadline = Date.now() + 10 * 60_000;
  let told = false;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock older than any build is left over from a killed process.
      const lockedAt = statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - lockedAt > 10 * 60_000) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`Another build has held ${LOCK} for 10 minutes; remove it if no build is running.`);
      if (!told) say('Another process is building; waiting for it…');
      told = true;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    build();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
