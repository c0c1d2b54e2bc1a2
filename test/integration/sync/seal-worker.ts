// A second (and third) Ferry process for the concurrency test: opens the same workspace (same dataDir, same
// ferry.db), says "ready", waits for "go", then records answers and seals and drains in a tight loop, as a Ferry
// instance harvesting the same Prodigy database would.
import { createInterface } from 'node:readline';
import { sealChunks } from '../../../electron/publish/seal-chunks.ts';
import type { AnswerInput } from '../../../electron/store/store.ts';
import { drainOutbox } from '../../../electron/sync/outbox-worker.ts';
import { openWorkspace } from '../../../electron/workspace/workspace.ts';

const [configPath, tasksArg, stepArg] = process.argv.slice(2);
if (!configPath || !tasksArg || !stepArg) {
  console.error('usage: seal-worker.ts CONFIG TASKS STEP');
  process.exit(2);
}
const tasks = Number(tasksArg);
const step = Number(stepArg); // answers recorded between two seals

// The same task always gets the same answer, in every process: what two harvests of one Prodigy database see.
function answer(i: number): AnswerInput {
  const taskId = `item-${String(i).padStart(4, '0')}`;
  return { taskHash: 1000 + i, inputHash: 5000 + i, answer: i % 3 === 0 ? 'reject' : 'accept', content: { text: `Task ${i}`, meta: { task_id: taskId }, _task_hash: 1000 + i, _input_hash: 5000 + i, answer: i % 3 === 0 ? 'reject' : 'accept' } };
}

const ws = await openWorkspace(configPath);
const batch = ws.store.listBatches()[0]!;
console.log(JSON.stringify({ event: 'ready', pid: process.pid }));
const lines = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => lines.once('line', () => resolve()));
lines.close();
process.stdin.destroy();

let chunks = 0;
let stale = 0;
for (let start = 1; start <= tasks; start += step) {
  const slice = Array.from({ length: Math.min(step, tasks - start + 1) }, (_, k) => answer(start + k));
  ws.store.recordAnswers(batch.id, ws.config.annotator, slice);
  const before = ws.store.countAnswers(batch.id).unpublished;
  const sealed = await sealChunks({ store: ws.store, prefix: ws.target.prefix, outboxDir: ws.outboxDir, project: batch.project, region: batch.region, batch: batch.batch, batchId: batch.id, annotator: ws.config.annotator }, 7);
  chunks += sealed.length;
  if (sealed.length === 0 && before > 0) stale += 1;
  if (start % (step * 4) === 1) await drainOutbox({ store: ws.store, client: ws.client, bucket: ws.config.bucket });
}
const drained = await drainOutbox({ store: ws.store, client: ws.client, bucket: ws.config.bucket });
console.log(JSON.stringify({ event: 'done', chunks, stale, drained }));
ws.close();
