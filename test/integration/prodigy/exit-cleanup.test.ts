// Prodigy must not outlive Ferry: a parent process that exits without stopping its server leaves nothing running.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { STANDIN_BIN } from '../../prodigy-standin/harness.ts';
import { processGone, removeTempDirs, tempDir, writeTexts } from './prodigy-fixture.ts';

const run = promisify(execFile);
const PARENT = fileURLToPath(new URL('./fixtures/exit-without-stop.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

afterEach(() => {
  removeTempDirs();
});

// Gone, or a zombie waiting for init to reap it (it no longer runs either way).
function notRunning(pid: number): boolean {
  if (processGone(pid)) return true;
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

// The orphan is not our child, so there is no exit event to wait for: poll its state until it changes.
async function waitUntil(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

it.skipIf(process.platform !== 'linux')('kills a still-running Prodigy when the parent process exits', async () => {
  const home = tempDir();
  const { stdout } = await run(TSX, [PARENT, home, writeTexts(home, 2), STANDIN_BIN], { timeout: 60_000 });
  const { pid } = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { pid: number };
  expect(pid).toBeGreaterThan(0);
  await waitUntil(() => notRunning(pid), `Prodigy ${pid} is gone`);
  expect(notRunning(pid)).toBe(true);
});
