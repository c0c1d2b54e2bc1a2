// Launches the real Electron shell where its binary exists; on machines without it (ours) the test reports as skipped.
import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '../..');
const electronDist = join(repo, 'node_modules', 'electron', 'dist');
const mainBundle = join(repo, 'dist', 'electron', 'main.cjs');

function electronBinary(): string | undefined {
  if (!existsSync(electronDist)) return undefined;
  // The electron package's main export is the path of its binary.
  const path = createRequire(import.meta.url)('electron') as unknown;
  return typeof path === 'string' && existsSync(path) ? path : undefined;
}

test('the Electron window opens with the Ferry title', async () => {
  const executablePath = electronBinary();
  test.skip(!executablePath, `No Electron binary at ${electronDist}: it cannot be downloaded here (ELECTRON_SKIP_BINARY_DOWNLOAD). Install electron with its binary to run this test.`);
  expect(existsSync(mainBundle), `${mainBundle} is missing: build the Electron shell before running this test.`).toBe(true);
  const app = await electron.launch({ executablePath, args: [mainBundle, '--no-sandbox'], cwd: repo });
  try {
    const window = await app.firstWindow();
    await expect(window).toHaveTitle(/Ferry/);
  } finally {
    await app.close();
  }
});
