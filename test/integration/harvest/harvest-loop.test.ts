// startHarvestLoop with the Prodigy stand-in and a real store: periodic runs that never overlap, survive a failed
// run, and a final harvest on stop(). Tests wait for the loop's own callbacks, never for fixed sleeps.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FerryError } from '../../../shared/result.ts';
import { startHarvestLoop, type HarvestLoop, type HarvestLoopOptions } from '../../../electron/harvest/harvest-loop.ts';
import type { HarvestResult } from '../../../electron/harvest/harvest.ts';
import { setProdigyLogSink, type ProdigyLogEntry } from '../../../electron/prodigy/prodigy-log.ts';
import { startProdigyServer, type ProdigyServer } from '../../../electron/prodigy/run-prodigy.ts';
import { openStore, type Store } from '../../../electron/store/store.ts';
import { answerTasks, removeTempDirs, STANDIN_COMMAND, tempDir, writeScript, writeTexts } from '../prodigy/prodigy-fixture.ts';
import { STANDIN_BIN } from '../../prodigy-standin/harness.ts';

const servers: ProdigyServer[] = [];
const stores: Store[] = [];
const loops: HarvestLoop[] = [];
let restoreSink: (() => void) | undefined;

afterEach(async () => {
  await Promise.all(loops.splice(0).map((l) => l.stop()));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
  for (const store of stores.splice(0)) store.close();
  restoreSink?.();
  restoreSink = undefined;
  removeTempDirs();
});

// Collects what the loop reports and lets a test wait until a report matches.
function recorder() {
  const results: HarvestResult[] = [];
  const errors: FerryError[] = [];
  const waiters: { test: () => boolean; resolve: () => void }[] = [];
  function check(): void {
    for (const w of [...waiters]) {
      if (w.test()) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }
  return {
    results,
    errors,
    onHarvest: (r: HarvestResult) => {
      results.push(r);
      check();
    },
    onError: (e: FerryError) => {
      errors.push(e);
      check();
    },
    until(test: () => boolean): Promise<void> {
      return new Promise((resolve) => {
        waiters.push({ test, resolve });
        check();
      });
    },
  };
}

async function openBatch(): Promise<{ home: string; store: Store; batchId: string; server: ProdigyServer }> {
  const home = tempDir('ferry-batch-');
  const store = openStore(join(tempDir('ferry-data-'), 'ferry.db'));
  stores.push(store);
  const batchId = store.upsertBatch({ project: 'news', region: 'apac', batch: 'b7', status: 'annotating' }).id;
  const server = await startProdigyServer({ command: STANDIN_COMMAND, recipe: 'textcat.manual', dataset: 'news', source: writeTexts(home, 8), labels: ['A', 'B'], home, session: 'kim' });
  servers.push(server);
  return { home, store, batchId, server };
}

function loop(options: Omit<HarvestLoopOptions, 'dataset' | 'annotator'>): HarvestLoop {
  const started = startHarvestLoop({ dataset: 'news', annotator: 'kim', ...options });
  loops.push(started);
  return started;
}

describe('startHarvestLoop', () => {
  it('harvests at once, then every interval, reporting each result', async () => {
    const batch = await openBatch();
    const seen = recorder();
    loop({ command: STANDIN_COMMAND, home: batch.home, batchId: batch.batchId, store: batch.store, intervalMs: 50, onHarvest: seen.onHarvest });
    await seen.until(() => seen.results.length >= 1);
    expect(seen.results[0]).toEqual({ examples: 0, inserted: 0, updated: 0, answered: 0 });
    await answerTasks(batch.server, 3, 'accept', { accept: ['A'] });
    await seen.until(() => seen.results.some((r) => r.answered === 3));
    const total = seen.results.reduce((n, r) => n + r.inserted, 0);
    expect(total).toBe(3); // later runs found nothing new
    expect(batch.store.countAnswers(batch.batchId).total).toBe(3);
  });

  it('never runs two harvests at once, however often now() is called', async () => {
    const batch = await openBatch();
    const entries: ProdigyLogEntry[] = [];
    const previous = setProdigyLogSink((e) => {
      if (e.operation === 'db-out' && (e.event === 'spawn' || e.event === 'exit')) entries.push(e);
    });
    restoreSink = () => setProdigyLogSink(previous);
    const harvester = loop({ command: STANDIN_COMMAND, home: batch.home, batchId: batch.batchId, store: batch.store, intervalMs: 10 });
    await answerTasks(batch.server, 2);
    const results = await Promise.all([harvester.now(), harvester.now(), harvester.now()]);
    expect(results.at(-1)).toMatchObject({ answered: 2 });
    await harvester.stop();
    const events = entries.map((e) => e.event);
    expect(events.length).toBeGreaterThanOrEqual(8); // first run + 3 now() + final, each spawn and exit
    events.forEach((event, i) => expect(event).toBe(i % 2 === 0 ? 'spawn' : 'exit'));
  });

  it('a failed run is reported and the loop goes on', async () => {
    const batch = await openBatch();
    const dir = tempDir();
    const marker = join(dir, 'db-locked');
    writeFileSync(marker, '');
    // Prodigy whose database is locked until the marker goes away.
    const command = writeScript(dir, 'flaky.py', [
      'import os, runpy, sys',
      `if os.path.exists(${JSON.stringify(marker)}):`,
      '    print("\\u2718 Database is locked", file=sys.stderr); sys.exit(1)',
      `sys.argv = [${JSON.stringify(STANDIN_BIN)}] + sys.argv[1:]`,
      `runpy.run_path(${JSON.stringify(STANDIN_BIN)}, run_name="__main__")`,
    ].join('\n'));
    await answerTasks(batch.server, 1);
    const seen = recorder();
    loop({ command, home: batch.home, batchId: batch.batchId, store: batch.store, intervalMs: 20, onHarvest: seen.onHarvest, onError: seen.onError });
    await seen.until(() => seen.errors.length >= 2);
    expect(seen.errors[0]?.code).toBe('prodigy-failed');
    expect(seen.errors[0]?.message).toContain('Database is locked');
    expect(seen.results).toEqual([]);
    rmSync(marker);
    expect(existsSync(marker)).toBe(false);
    await seen.until(() => seen.results.length >= 1);
    expect(seen.results[0]).toMatchObject({ inserted: 1, answered: 1 });
  });

  it('stop() harvests one last time, and the loop is then closed', async () => {
    const batch = await openBatch();
    const seen = recorder();
    const harvester = loop({ command: STANDIN_COMMAND, home: batch.home, batchId: batch.batchId, store: batch.store, intervalMs: 600_000, onHarvest: seen.onHarvest });
    await seen.until(() => seen.results.length >= 1);
    await answerTasks(batch.server, 3);
    await batch.server.stop();
    const stopping = harvester.stop();
    expect(harvester.stop()).toBe(stopping);
    await stopping;
    expect(seen.results).toHaveLength(2);
    expect(seen.results[1]).toEqual({ examples: 3, inserted: 3, updated: 0, answered: 3 });
    await expect(harvester.now()).rejects.toMatchObject({ code: 'cancelled' });
  });
});
