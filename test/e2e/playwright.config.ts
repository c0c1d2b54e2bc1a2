// Playwright drives the real renderer in Debian's Chromium against a real core, web host and S3 protocol server.
import { defineConfig } from '@playwright/test';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '../..');

export default defineConfig({
  testDir: import.meta.dirname,
  testMatch: '*.spec.ts',
  outputDir: join(repo, 'test-results', 'e2e'),
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  // On a loaded 2-core CI machine a browser test may lose a race with the machine, not with Ferry: one retry, reported.
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  timeout: 60_000,
  expect: { timeout: 15_000 },
  globalSetup: join(import.meta.dirname, 'global-setup.ts'),
  use: {
    viewport: { width: 1280, height: 860 },
    actionTimeout: 10_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
        },
      },
    },
  ],
});
