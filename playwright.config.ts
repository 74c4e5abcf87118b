// End-to-end tests against the production build in Chromium. The server is `npm start`'s own
// script on a throw-away data directory (never .data), so these tests also prove that start-up
// builds, migrates and seeds a fresh installation.
import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';

// Computed once in the runner; workers inherit it through the environment.
if (!process.env.SITREP_E2E_DATA_DIR) {
  process.env.SITREP_E2E_DATA_DIR = mkdtempSync(path.join(os.tmpdir(), 'sitrep-e2e-'));
  chmodSync(process.env.SITREP_E2E_DATA_DIR, 0o755); // PostgreSQL runs as its own user when we are root
}
process.env.SITREP_E2E_PORT ||= String(3100 + Math.floor(Math.random() * 800));
const port = Number(process.env.SITREP_E2E_PORT);
// tests/e2e/oncall.spec.ts receives the server's e-mail on this port (smtp-server); nothing
// listens there otherwise, and a message sent meanwhile is retried and then fails quietly.
process.env.SITREP_E2E_SMTP_PORT ||= String(port + 1000);
const baseURL = `http://127.0.0.1:${port}`;
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  outputDir: 'test-results',
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: {
    command: 'node --conditions=react-server --import tsx scripts/start.ts',
    url: `${baseURL}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      SITREP_DATA_DIR: process.env.SITREP_E2E_DATA_DIR,
      PORT: String(port),
      HOST: '127.0.0.1',
      SITREP_URL: baseURL,
      SITREP_DEMO: 'true',
      SITREP_LOG_LEVEL: 'warn',
      // tests/e2e/api-remediation.spec.ts runs a webhook receiver on this machine.
      SITREP_WEBHOOK_ALLOW_HOSTS: 'localhost',
      SITREP_SMTP_URL: `smtp://127.0.0.1:${process.env.SITREP_E2E_SMTP_PORT}`,
    },
  },
});
