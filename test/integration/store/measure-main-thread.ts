// Prints how long the heaviest expected store operations block the calling thread (docs/native-modules.md).
// Run: node --import tsx test/integration/store/measure-main-thread.ts
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { recordAnswersInSlices } from '../../../electron/store/record-in-slices.ts';
import { openStore, type AnswerInput, type Store } from '../../../electron/store/store.ts';

const dir = mkdtempSync(join(tmpdir(), 'ferry-measure-'));
const rows: string[] = [];

function time<T>(label: string, runs: number, fn: (run: number) => T): T {
  const took: number[] = [];
  let last: T | undefined;
  for (let run = 0; run < runs; run += 1) {
    const start = performance.now();
    last = fn(run);
    took.push(performance.now() - start);
  }
  took.sort((a, b) => a - b);
  const median = took[Math.floor(took.length / 2)] ?? 0;
  rows.push(`| ${label} | ${runs} | ${median.toFixed(1)} | ${(took[took.length - 1] ?? 0).toFixed(1)} |`);
  return last as T;
}

// A text-classification/NER-style example (~1 KB) or one with long text (~10 KB), as Prodigy exports it.
function answers(count: number, offset: number, textBytes: number, batch: string): AnswerInput[] {
  const text = 'The quick brown fox jumps over the lazy dog. '.repeat(Math.ceil(textBytes / 45)).slice(0, textBytes);
  return Array.from({ length: count }, (_, i) => {
    const hash = offset + i;
    return {
      taskHash: hash,
      inputHash: hash * 31,
      answer: i % 5 === 0 ? 'reject' : 'accept',
      content: { text, _input_hash: hash * 31, _task_hash: hash, spans: [{ start: 4, end: 9, label: 'ANIMAL' }], meta: { id: `t-${hash}`, source: `raw/${batch}.jsonl` }, answer: 'accept', _timestamp: 1_700_000_000 + i, _annotator_id: `${batch}-ana`, _session_id: `${batch}-ana` },
    };
  });
}

function seedBatches(store: Store, count: number): void {
  const manifest = { tasks: 500, sha256: 'f'.repeat(64), assets: Array.from({ length: 20 }, (_, i) => ({ key: `raw/images/${i}.jpg`, sha256: 'e'.repeat(64), bytes: 123_456 })) };
  for (let i = 0; i < count; i += 1) store.upsertBatch({ project: 'p', region: 'emea', batch: `b${String(i).padStart(5, '0')}`, status: 'submitted', manifest, tasksTotal: 500 });
}

try {
  const path = join(dir, 'ferry.db');
  const store = time('open + migrate a new file', 1, () => openStore(path));
  time('upsertBatch (one)', 50, (i) => store.upsertBatch({ project: 'p', region: 'apac', batch: `single${i}`, status: 'claimed' }));
  seedBatches(store, 1000);
  time('listBatches, 1k batches with 2 KB manifests', 10, () => store.listBatches());
  store.upsertBatch({ project: 'p', region: 'emea', batch: 'big', status: 'annotating' });
  // Inputs are built before the clock starts: only the store's work (JSON.stringify + SQL) is timed.
  const small = Array.from({ length: 20 }, (_, run) => answers(100, 1_000_000 + run * 100, 1000, 'big'));
  time('recordAnswers 100 new rows (incremental harvest)', 20, (run) => store.recordAnswers('p/emea/big', 'ana', small[run] ?? []));
  const tenK = answers(10_000, 0, 1000, 'big');
  const first = time('recordAnswers 10k new rows, 1 KB each', 1, () => store.recordAnswers('p/emea/big', 'ana', tenK));
  const again = time('recordAnswers same 10k rows again (unchanged)', 3, () => store.recordAnswers('p/emea/big', 'ana', tenK));
  const smallMb = (statSync(path).size + statSync(`${path}-wal`).size) / 1e6;
  time(`quickCheck on a ${smallMb.toFixed(0)} MB file`, 3, () => store.quickCheck());
  const changed = tenK.map((a) => ({ ...a, answer: 'ignore' as const }));
  time('recordAnswers 10k changed rows (update)', 1, () => store.recordAnswers('p/emea/big', 'ana', changed));
  store.upsertBatch({ project: 'p', region: 'emea', batch: 'long', status: 'annotating' });
  const tenKLong = answers(10_000, 0, 10_000, 'long');
  time('recordAnswers 10k new rows, 10 KB each', 1, () => store.recordAnswers('p/emea/long', 'ana', tenKLong));
  // The same 10 KB harvest, sliced: the event loop's longest stall is what a person would notice.
  store.upsertBatch({ project: 'p', region: 'emea', batch: 'sliced', status: 'annotating' });
  const slicedInput = answers(10_000, 0, 10_000, 'sliced');
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const startSliced = performance.now();
  await recordAnswersInSlices(store, 'p/emea/sliced', 'ana', slicedInput);
  const slicedTotal = performance.now() - startSliced;
  delay.disable();
  rows.push(`| recordAnswersInSlices 10k rows, 10 KB each (200 per slice): total / longest event-loop stall | 1 | ${slicedTotal.toFixed(1)} | ${(delay.max / 1e6).toFixed(1)} |`);
  time('listUnpublishedAnswers one page of 1000 (1 KB)', 5, () => store.listUnpublishedAnswers('p/emea/big', 'ana', 1000));
  time('countAnswers over 12k rows', 10, () => store.countAnswers('p/emea/big'));
  const unpublished = time('listUnpublishedAnswers 10k rows (1 KB)', 3, () => store.listUnpublishedAnswers('p/emea/big', 'ana', 10_000));
  time('sealChunk of 10k rows (check + seal mark)', 1, () =>
    store.sealChunk({ batchId: 'p/emea/big', annotator: 'ana', job: { kind: 'result-chunk', batchId: 'p/emea/big', targetKey: 'chunk-1', sha256: 'a'.repeat(64), payload: { path: '/x/chunk-1' } }, published: unpublished }),
  );
  for (let i = 0; i < 10_000; i += 1) store.enqueueJob({ kind: 'chunk', batchId: 'p/emea/big', targetKey: `k${i}`, sha256: 'a'.repeat(64), payload: { path: `/x/${i}` } });
  time('enqueueJob (one, 10k in table)', 50, (i) => store.enqueueJob({ kind: 'chunk', targetKey: `extra${i}`, sha256: 'a'.repeat(64), payload: { json: { i } } }));
  time('outboxCounts, 10k jobs', 10, () => store.outboxCounts());
  time('startNextJob + completeJob, 10k jobs', 50, () => store.completeJob(store.startNextJob()?.id ?? -1));
  time('resetActiveJobs, 10k jobs', 5, () => store.resetActiveJobs());
  const mb = (statSync(path).size + statSync(`${path}-wal`).size) / 1e6;
  time(`quickCheck on a ${mb.toFixed(0)} MB file`, 3, () => store.quickCheck());
  time('close (wal_checkpoint TRUNCATE) after the writes above', 1, () => store.close());
  const reopened = time('open an existing file (no migration)', 5, (run) => (run === 0 ? openStore(path) : (openStore(path, { readonly: true }))));
  reopened.close();
  console.log(`Node ${process.version}, ${process.platform}/${process.arch}; first 10k insert ${JSON.stringify(first)}, repeat ${JSON.stringify(again)}\n`);
  console.log('| operation | runs | median ms | max ms |\n|---|---|---|---|');
  console.log(rows.join('\n'));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
