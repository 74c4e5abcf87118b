// How the web server process is started (scripts/support/build.ts serverArguments): the production
// server's heap is capped unless the operator chose a size, it runs the bundle (npm run dev the
// source), and the caller's Node flags come first.
import { afterEach, describe, expect, it } from 'vitest';
import { SERVER_HEAP_MB, serverArguments } from '../../scripts/support/build';

const heapFlags = (args: string[]) => args.filter((flag) => flag.startsWith('--max-old-space-size'));
const nodeOptions = process.env.NODE_OPTIONS;

afterEach(() => {
  if (nodeOptions === undefined) delete process.env.NODE_OPTIONS;
  else process.env.NODE_OPTIONS = nodeOptions;
});

describe('serverArguments', () => {
  it('caps the production server’s heap, before the script and its options', () => {
    delete process.env.NODE_OPTIONS;
    const args = serverArguments({ port: 3000, hostname: '127.0.0.1' });
    expect(heapFlags(args)).toEqual([`--max-old-space-size=${SERVER_HEAP_MB}`]);
    expect(args.indexOf(`--max-old-space-size=${SERVER_HEAP_MB}`)).toBeLessThan(args.findIndex((arg) => arg.endsWith('.next/sitrep/serve.mjs')));
    // The bundle, not the source through tsx (bundle-server.ts says why).
    expect(args).not.toContain('tsx');
    expect(args.slice(-4)).toEqual(['--port', '3000', '--hostname', '127.0.0.1']);
  });

  it('leaves the heap to Node under `npm run dev`', () => {
    delete process.env.NODE_OPTIONS;
    const args = serverArguments({ port: 3000, hostname: '127.0.0.1', dev: true });
    expect(heapFlags(args)).toEqual([]);
    expect(args.slice(args.indexOf('--import'), args.indexOf('--import') + 2)).toEqual(['--import', 'tsx']);
    expect(args.some((arg) => arg.endsWith('scripts/serve.ts'))).toBe(true);
    expect(args.at(-1)).toBe('--dev');
  });

  it('keeps a size the operator chose in NODE_OPTIONS or in the caller’s flags', () => {
    process.env.NODE_OPTIONS = '--enable-source-maps --max-old-space-size=2048';
    expect(heapFlags(serverArguments({ port: 3000, hostname: '127.0.0.1' }))).toEqual([]);
    delete process.env.NODE_OPTIONS;
    const args = serverArguments({ port: 3000, hostname: '127.0.0.1', nodeArguments: ['--cpu-prof', '--max-old-space-size=1024'] });
    expect(heapFlags(args)).toEqual(['--max-old-space-size=1024']);
    expect(args.slice(0, 2)).toEqual(['--cpu-prof', '--max-old-space-size=1024']);
  });
});
