// Two processes on one database file: WAL + busy_timeout + IMMEDIATE transactions keep both correct.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../electron/store/migrations/index.ts';
import { openStore } from '../../../electron/store/store.ts';
import { useTempDir } from './temp-dir.ts';

const tempDir = useTempDir();
const WRITER = join(import.meta.dirname, 'store-writer.ts');
const ROUNDS = 300;

type Writer = { child: ChildProcessWithoutNullStreams; messages: AsyncIterator<string>; stderr: () => string };

function startWriter(dbPath: string, annotator: string, mode?: string): Writer {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dbPath, annotator, String(ROUNDS), ...(mode ? [mode] : [])], { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return { child, messages: createInterface({ input: child.stdout })[Symbol.asyncIterator](), stderr: () => err };
}

async function nextMessage(writer: Writer): Promise<{ event: string; applied?: number[] }> {
  const line = await writer.messages.next();
  if (line.done === true) throw new Error(`writer ended early: ${writer.stderr()}`);
  return JSON.parse(line.value) as { event: string; applied?: number[] };
}

async function exitCode(writer: Writer): Promise<number | null> {
  if (writer.child.exitCode !== null) return writer.child.exitCode;
  const [code] = (await once(writer.child, 'exit')) as [number | null];
  return code;
}

describe('two processes on one store', () => {
  it('migrate exactly once when both open a fresh file at the same time', async () => {
    const path = join(tempDir(), 'ferry.db');
    const writers = [startWriter(path, 'a', 'open-only'), startWriter(path, 'b', 'open-only')];
    const ready = await Promise.all(writers.map(nextMessage));
    expect(await Promise.all(writers.map(exitCode))).toEqual([0, 0]);
    expect(ready.map((m) => m.applied?.length).sort()).toEqual([0, MIGRATIONS.length]);
    const store = openStore(path);
    expect(store.appliedMigrations().map((m) => m.version)).toEqual(MIGRATIONS.map((m) => m.version));
    store.close();
  });

  it('write concurrently without losing or corrupting anything', async () => {
    const path = join(tempDir(), 'ferry.db');
    const store = openStore(path);
    store.upsertBatch({ project: 'p', region: 'emea', batch: 'b1', status: 'annotating' });
    const writer = startWriter(path, 'child');
    expect((await nextMessage(writer)).event).toBe('ready');
    writer.child.stdin.write('go\n');
    // Keep writing until the child has written while we were writing, so the two really contend.
    let overlapped = false;
    let rounds = 0;
    for (; rounds < ROUNDS || (!overlapped && rounds < 50_000); rounds += 1) {
      const answers = Array.from({ length: 10 }, (_, i) => ({ taskHash: rounds * 10 + i, inputHash: rounds, answer: 'reject' as const, content: { rounds, i } }));
      store.recordAnswers('p/emea/b1', 'parent', answers);
      store.enqueueJob({ kind: 'chunk', batchId: 'p/emea/b1', targetKey: `parent/${rounds}`, sha256: 'b'.repeat(64), payload: { path: `/tmp/${rounds}` } });
      store.setBatchStatus('p/emea/b1', 'annotating');
      const childRows = store.countAnswers('p/emea/b1').accept;
      if (childRows > 0 && childRows < ROUNDS * 10) overlapped = true;
    }
    expect(overlapped).toBe(true);
    expect((await nextMessage(writer)).event).toBe('done');
    expect(await exitCode(writer)).toBe(0);
    expect(store.countAnswers('p/emea/b1')).toEqual({ total: (rounds + ROUNDS) * 10, unpublished: (rounds + ROUNDS) * 10, accept: ROUNDS * 10, reject: rounds * 10, ignore: 0 });
    expect(store.outboxCounts().pending).toBe(rounds + ROUNDS);
    expect(store.quickCheck()).toBe('ok');
    store.close();
  });
});
