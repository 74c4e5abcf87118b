// The API route handlers as they exist on disk, for tests that must cover every one of them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export const projectRoot = path.resolve(import.meta.dirname, '../..');

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? routeFiles(full) : name === 'route.ts' ? [full] : [];
  });
}

export type RouteHandler = { method: string; path: string; file: string };

/**
 * Every exported handler under app/api with OpenAPI-style paths, except catch-alls: next-auth's
 * own endpoints and the problem+json 404 for unknown /api/v1 paths.
 */
export function routeHandlers(): RouteHandler[] {
  return routeFiles(path.join(projectRoot, 'app/api'))
    .filter((file) => !file.includes('[...'))
    .flatMap((file) => {
      const urlPath = '/' + path.relative(path.join(projectRoot, 'app'), path.dirname(file)).replace(/\[([^\]]+)\]/g, '{$1}');
      const source = readFileSync(file, 'utf8');
      return [...source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)].map((match) => ({ method: match[1]!, path: urlPath, file }));
    });
}
