// A second process for the store tests: opens the same file, reports "ready", waits for "go", then writes.
import { createInterface } from 'node:readline';
import { openStore } from '../../../electron/store/store.ts';

const [dbPath, annotator, roundsArg, mode] = process.argv.slice(2);
if (dbPath === undefined || annotator === undefined || roundsArg === undefined) {
  console.error('usage: store-writer.ts DB ANNOTATOR ROUNDS [open-only]');
  process.exit(2);
}
const rounds = Number(roundsArg);

const store = openStore(dbPath);
console.log(JSON.stringify({ event: 'ready', applied: store.migratedAtOpen }));
if (mode === 'open-only') {
  store.close();
  process.exit(0);
}

const lines = createInterface({ input: process.stdin });
lines.once('line', () => {
  lines.close();
  process.stdin.destroy(); // so the process can exit once the writes are done
  const batch = store.getBatch('p/emea/b1');
  if (batch === undefined) throw new Error('parent did not create the batch');
  for (let round = 0; round < rounds; round += 1) {
    const answers = Array.from({ length: 10 }, (_, i) => ({ taskHash: round * 10 + i, inputHash: round, answer: 'accept' as const, content: { text: `task ${round}-${i}`, by: annotator } }));
    store.recordAnswers(batch.id, annotator, answers);
    store.enqueueJob({ kind: 'chunk', batchId: batch.id, targetKey: `${annotator}/${round}`, sha256: 'a'.repeat(64), payload: { json: { round } } });
  }
  store.close();
  console.log(JSON.stringify({ event: 'done' }));
});
