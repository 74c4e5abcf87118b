// The JavaScript every page loads before it is interactive, gzipped, read from the production
// build rather than from a browser: Next's root chunks (React and Next themselves: the floor no
// page can go under), each layout's chunks and the page's own. The client reference manifest of
// each page (`page_client-reference-manifest.js`, a script that assigns globalThis.__RSC_MANIFEST)
// lists the chunks of the page's segments; lazy chunks (dialogs, the palette's list) are loaded
// on first use and are not counted, as a browser's first load does not fetch them either.
// Gzip at zlib's default level, as measureInBrowser does.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import type { Row } from './stats';

export type PageJavaScript = { page: string; totalKb: number; layoutsKb: number; ownKb: number };
export type BuildJavaScript = { frameworkKb: number; pages: PageJavaScript[] };

type Manifest = { entryJSFiles: Record<string, string[]> };

/** Every app page's first-load JavaScript from the build in `nextDir`, largest first. */
export function buildJavaScript(nextDir: string): BuildJavaScript {
  const sizes = new Map<string, number>();
  const kb = (file: string) => {
    if (!sizes.has(file)) sizes.set(file, gzipSync(readFileSync(path.join(nextDir, file))).length / 1024);
    return sizes.get(file)!;
  };
  const sum = (files: Iterable<string>) => [...files].reduce((total, file) => total + kb(file), 0);
  const root = (JSON.parse(readFileSync(path.join(nextDir, 'build-manifest.json'), 'utf8')) as { rootMainFiles: string[] }).rootMainFiles;
  const frameworkKb = sum(root);
  const manifests = execFileSync('find', [path.join(nextDir, 'server', 'app'), '-name', 'page_client-reference-manifest.js'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  const pages: PageJavaScript[] = [];
  for (const file of manifests) {
    const sandbox = { globalThis: {} as { __RSC_MANIFEST?: Record<string, Manifest> } };
    runInNewContext(readFileSync(file, 'utf8'), sandbox);
    for (const [page, manifest] of Object.entries(sandbox.globalThis.__RSC_MANIFEST ?? {})) {
      // Error and not-found boundaries load only when they render.
      const segments = Object.entries(manifest.entryJSFiles).filter(([segment]) => !/(error|not-found)$/.test(segment));
      const layouts = new Set(root);
      const all = new Set(root);
      for (const [segment, chunks] of segments) {
        for (const chunk of chunks) {
          all.add(chunk);
          if (segment.endsWith('/layout')) layouts.add(chunk);
        }
      }
      const totalKb = sum(all);
      const withLayouts = sum(layouts);
      pages.push({ page: route(page), totalKb, layoutsKb: withLayouts - frameworkKb, ownKb: totalKb - withLayouts });
    }
  }
  pages.sort((a, b) => b.totalKb - a.totalKb);
  return { frameworkKb, pages };
}

/** "/(app)/incidents/[number]/page" → "/incidents/[number]". */
function route(page: string): string {
  return page.replace(/\/page$/, '').replace(/\/\([^)]+\)/g, '') || '/';
}

/** The bench's row: the largest page beside React and Next alone, and every page over `goalKb` in its detail. */
export function javascriptRow(nextDir: string, goalKb = 150): { row: Row; detail: BuildJavaScript } {
  const build = buildJavaScript(nextDir);
  const largest = build.pages[0];
  if (!largest) throw new Error(`No page manifests under ${nextDir}/server/app: is there a production build?`);
  const over = build.pages.filter((page) => page.totalKb > goalKb);
  const listed = over.map((page) => `${page.page} ${page.totalKb.toFixed(1)} (its own ${page.ownKb.toFixed(1)})`).join(', ');
  return {
    row: {
      name: `JavaScript of every page (${build.pages.length} pages, from the build), gzipped: the largest, ${largest.page}`,
      figure: largest.totalKb,
      unit: 'KB',
      limit: build.frameworkKb,
      limitLabel: 'React and Next alone',
      goal: { max: goalKb },
      detail: `layouts ${largest.layoutsKb.toFixed(1)} KB; ${over.length ? `over ${goalKb} KB: ${listed}` : `every page within ${goalKb} KB`}`,
    },
    detail: build,
  };
}
