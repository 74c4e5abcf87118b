// The production web server as plain JavaScript: scripts/serve.ts and what it imports of ours
// (the request edge, the routes answered beside Next) bundled by esbuild into .next/sitrep/,
// beside Next's own build, so `npm start` and every test or bench server run `node` on it
// without tsx. Run through tsx, the server held 60–80 MB more after the same load: tsx's module
// hooks run on a thread of their own (a second V8 heap), and it keeps the transformed source and
// source map of each of our modules. `npm run dev` still runs scripts/serve.ts through tsx.
//
// Run by ensureBuild (build.ts) after `next build`, as `node --import tsx scripts/support/bundle-server.ts`.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build, type Plugin } from 'esbuild';
import { root, SERVER_BUNDLE_DIR } from './build';

/**
 * Packages stay in node_modules and are loaded by Node, so the server shares one copy of Next
 * (and its request storage) with Next's own bundles. Node resolves a deep import of a package
 * without an `exports` map only with its extension (`next/headers.js`), which tsx and bundlers
 * add for us; this adds it in the bundle.
 */
const externalPackages: Plugin = {
  name: 'external-packages',
  setup(context) {
    context.onResolve({ filter: /^(@[^/:]+\/)?[^./@:][^/:]*\/.+/ }, (args) => {
      const [, name, subpath] = /^((?:@[^/]+\/)?[^/]+)\/(.+)$/.exec(args.path)!;
      const folder = path.join(root, 'node_modules', name!);
      const manifest = path.join(folder, 'package.json');
      const exportsMap = existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: unknown }).exports !== undefined;
      const withExtension = !exportsMap && !path.extname(subpath!) && existsSync(path.join(folder, `${subpath}.js`));
      return { path: withExtension ? `${args.path}.js` : args.path, external: true };
    });
  },
};

const outdir = path.join(root, SERVER_BUNDLE_DIR);
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { serve: path.join(root, 'scripts/serve.ts') },
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  conditions: ['react-server'],
  packages: 'external',
  plugins: [externalPackages],
  // The routes answered beside Next are imported once Next is ready (serve.ts): each stays a
  // chunk of its own, loaded then, so what it imports of Next is too.
  splitting: true,
  outdir,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  // Read only under NODE_OPTIONS=--enable-source-maps: stack traces then name our .ts files.
  sourcemap: 'linked',
  logLevel: 'warning',
});
