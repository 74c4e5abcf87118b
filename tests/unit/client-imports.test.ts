// Client components must not take heavy server-side libraries into the browser's JavaScript by
// accident. One value import of a constant from a schema file brings zod (about 30 KB gzipped) and
// every schema of that file into the page, as `timelineKinds` from lib/timeline/schema.ts once
// did for the command view. This follows the static value imports of every 'use client' file
// (type-only imports, server actions and import() loaded on demand are not in the bundle) and
// fails naming the chain that reaches a forbidden package.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** Packages a page's JavaScript must not carry: each has a zod-free or server-side home. */
const FORBIDDEN: Record<string, string> = {
  zod: 'import the words from a vocabulary module (lib/<domain>/vocabulary.ts), not from schema.ts',
  luxon: 'time-zone arithmetic belongs on the server',
  pg: 'database access belongs on the server',
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) return [];
    return statSync(full).isDirectory() ? filesUnder(full) : /\.tsx?$/.test(name) ? [full] : [];
  });
}

const directive = (source: string) => /^\s*(?:\/\/[^\n]*\n|\/\*[\s\S]*?\*\/\s*)*\s*['"](use client|use server)['"]/.exec(source)?.[1] ?? null;

/** The modules a file imports for their values: `import type`, `export type` and all-`type` specifier lists do not count. */
function valueImports(source: string): string[] {
  const found: string[] = [];
  const statement = /(?:^|\n)\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g;
  for (const match of source.matchAll(statement)) {
    if (match[5]) {
      found.push(match[5]);
      continue;
    }
    if (match[2]) continue;
    const specifiers = /\{([^}]*)\}/.exec(match[3] ?? '')?.[1];
    const outsideBraces = (match[3] ?? '').replace(/\{[^}]*\}/, '').replace(/,/g, '').trim();
    if (specifiers !== undefined && !outsideBraces && specifiers.split(',').every((part) => !part.trim() || /^type\s/.test(part.trim()))) continue;
    found.push(match[4]!);
  }
  return found;
}

function resolve(from: string, specifier: string): string | null {
  const base = specifier.startsWith('@/') ? path.join(root, specifier.slice(2)) : specifier.startsWith('.') ? path.resolve(path.dirname(from), specifier) : null;
  if (base === null) return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), path.join(base, 'index.tsx')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

const packageOf = (specifier: string) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);

describe('client components', () => {
  const clientFiles = [...filesUnder(path.join(root, 'components')), ...filesUnder(path.join(root, 'app'))].filter((file) => directive(readFileSync(file, 'utf8')) === 'use client');

  it('are found', () => {
    expect(clientFiles.length).toBeGreaterThan(20);
  });

  it(`take none of ${Object.keys(FORBIDDEN).join(', ')} into the browser`, () => {
    const problems: string[] = [];
    const seen = new Map<string, string[]>();
    const queue: { file: string; chain: string[] }[] = clientFiles.map((file) => ({ file, chain: [path.relative(root, file)] }));
    while (queue.length) {
      const { file, chain } = queue.shift()!;
      if (seen.has(file)) continue;
      seen.set(file, chain);
      const source = readFileSync(file, 'utf8');
      // A server action is a reference in the client bundle, not its code.
      if (chain.length > 1 && directive(source) === 'use server') continue;
      for (const specifier of valueImports(source)) {
        const target = resolve(file, specifier);
        if (target) {
          queue.push({ file: target, chain: [...chain, path.relative(root, target)] });
        } else if (!specifier.startsWith('.') && !specifier.startsWith('@/') && FORBIDDEN[packageOf(specifier)]) {
          problems.push(`${chain.join(' → ')} → ${specifier}: ${FORBIDDEN[packageOf(specifier)]}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  // What a page loads on first use (components/ui/load-on-use.tsx): one static import anywhere
  // would put it back into the JavaScript of every page that imports that file.
  const LOADED_ON_USE = [
    'components/incidents/declare-form.tsx',
    'components/oncall/page-form.tsx',
    'components/alerts/declare-from-alert.tsx',
    'components/incidents/command/resolve-dialog.tsx',
    'components/incidents/command/details-form.tsx',
    'components/shell/palette-list.tsx',
  ];

  it('load the forms and dialogs meant for first use only through import()', () => {
    const problems: string[] = [];
    for (const file of [...filesUnder(path.join(root, 'components')), ...filesUnder(path.join(root, 'app'))]) {
      const source = readFileSync(file, 'utf8');
      for (const specifier of valueImports(source)) {
        const target = resolve(file, specifier);
        if (target && LOADED_ON_USE.includes(path.relative(root, target))) problems.push(`${path.relative(root, file)} imports ${specifier}; load it with loadOnUse(() => import(…))`);
      }
    }
    for (const file of LOADED_ON_USE) expect(existsSync(path.join(root, file)), `${file} exists`).toBe(true);
    expect(problems).toEqual([]);
  });

  it('leave the composer out of the wall screen: the timeline takes it as a child', () => {
    const reached = new Set<string>();
    const queue = [path.join(root, 'app/(app)/incidents/[number]/timeline/page.tsx')];
    while (queue.length) {
      const file = queue.shift()!;
      if (reached.has(file)) continue;
      reached.add(file);
      const source = readFileSync(file, 'utf8');
      if (reached.size > 1 && directive(source) === 'use server') continue;
      for (const specifier of valueImports(source)) {
        const target = resolve(file, specifier);
        if (target) queue.push(target);
      }
    }
    expect(reached.has(path.join(root, 'components/timeline/timeline.tsx')), 'the wall renders the timeline').toBe(true);
    expect(reached.has(path.join(root, 'components/timeline/composer.tsx')), 'the wall screen reaches composer.tsx').toBe(false);
  });

  it('would see a schema constant imported for its value', () => {
    expect(valueImports(`import { timelineKinds, type TimelineKind } from '@/lib/timeline/schema';`)).toEqual(['@/lib/timeline/schema']);
    expect(valueImports(`import type { TimelineEventDto } from '@/lib/timeline/schema';\nimport { type A, type B } from './x';`)).toEqual([]);
    expect(valueImports(`import Link from 'next/link';\nimport React, { useState } from 'react';\nexport { x } from './y';\nimport 'server-only';`)).toEqual(['next/link', 'react', './y', 'server-only']);
  });
});
