import { spawn } from 'node:child_process';

/**
 * Runs `script` (a bare node:http server that prints its port once listening) in a process of its
 * own, as the app is, and calls `run` with its URL; the process is killed afterwards.
 */
export async function withBareServer<T>(name: string, script: string, run: (url: string) => Promise<T>, env: Record<string, string> = {}): Promise<T> {
  // From the project's folder, so `require('pg')` finds the app's own driver.
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'], cwd: process.cwd(), env: { ...process.env, ...env } });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout!.once('data', (data) => resolve(Number(String(data).trim())));
      child.once('exit', (code) => reject(new Error(`The bare ${name} server exited (${code})`)));
    });
    return await run(`http://127.0.0.1:${port}`);
  } finally {
    child.kill();
  }
}
