// One batch-creating run against the ledger: read the project's batches, plan, write tasks (invisible), take the next
// ledger number (the commit), then write the manifests. Losing the number to another lead means: read again, plan again.
import type { BatchManifest } from '../../shared/batch.ts';
import type { LedgerEntry } from '../../shared/lead.ts';
import { FerryError } from '../../shared/result.ts';
import { batchManifestKey, batchTasksKey } from '../../shared/s3-layout.ts';
import type { LeadIndexStore } from '../store/lead-index.ts';
import { headObject, putObjectOnce } from '../s3/objects.ts';
import type { S3Target } from '../projects/projects.ts';
import { manifestBody, type BuiltBatch } from './build-batches.ts';
import { appendLedgerEntry, newLedgerEntry } from './ledger.ts';
import { mapLimit } from './map-limit.ts';
import { readProjectBatches, refOf, type ProjectBatches } from './project-batches.ts';

const MAX_ATTEMPTS = 10;
const CONCURRENCY = 8;

export type RunContext = { readonly target: S3Target; readonly project: string; readonly createdBy: string; readonly index?: LeadIndexStore; readonly signal?: AbortSignal };

export type Planned = { readonly action: LedgerEntry['action']; readonly built: readonly BuiltBatch[]; readonly retire?: LedgerEntry['retire'] };

export type RunOutcome = { readonly state: ProjectBatches; readonly seq: number | null; readonly built: readonly BuiltBatch[]; readonly lostRaces: number; readonly repaired: readonly string[] };

function checkCancelled(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new FerryError('cancelled', what);
}

// A run that crashed after taking its ledger number left manifests unwritten: anyone can finish them from the ledger copy.
export async function repairManifests(ctx: RunContext, missing: readonly BatchManifest[]): Promise<string[]> {
  const { target } = ctx;
  const repaired: string[] = [];
  await mapLimit(missing, CONCURRENCY, async (m) => {
    const tasks = await headObject(target.client, target.bucket, batchTasksKey(target.prefix, m.project, m.region, m.batch));
    if (!tasks || (tasks.sha256 !== undefined && tasks.sha256 !== m.tasks.sha256)) return; // never publish a batch whose tasks are not the ledger's
    await putObjectOnce(target.client, target.bucket, batchManifestKey(target.prefix, m.project, m.region, m.batch), manifestBody(m), { contentType: 'application/json' });
    repaired.push(refOf(m.region, m.batch));
  });
  return repaired.sort();
}

async function writeTasks(ctx: RunContext, built: readonly BuiltBatch[]): Promise<void> {
  const { target } = ctx;
  await mapLimit(
    built,
    CONCURRENCY,
    async ({ manifest: m, tasksBody }) => {
      await putObjectOnce(target.client, target.bucket, batchTasksKey(target.prefix, m.project, m.region, m.batch), tasksBody, { contentType: 'application/x-ndjson', ...(ctx.signal ? { signal: ctx.signal } : {}) });
    },
    ctx.signal,
  );
}

async function writeManifests(ctx: RunContext, built: readonly BuiltBatch[]): Promise<void> {
  const { target } = ctx;
  // Written after the ledger entry: once a manifest is visible, its items are already on record as taken.
  await mapLimit(built, CONCURRENCY, async ({ manifest: m }) => {
    await putObjectOnce(target.client, target.bucket, batchManifestKey(target.prefix, m.project, m.region, m.batch), manifestBody(m), { contentType: 'application/json' });
  });
}

// `plan` sees the project as it is now and the ledger number it would commit as; it returns null when there is nothing to do.
export async function runAgainstLedger(ctx: RunContext, plan: (state: ProjectBatches, seq: number) => Promise<Planned | null>): Promise<RunOutcome> {
  let lostRaces = 0;
  const repaired: string[] = [];
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    checkCancelled(ctx.signal, 'Batch creation was cancelled before anything was committed.');
    const state = await readProjectBatches(ctx.target, ctx.project, ctx.index, ctx.signal);
    repaired.push(...(await repairManifests(ctx, state.missingManifests)));
    const seq = state.ledger.nextSeq;
    const planned = await plan(state, seq);
    if (!planned || (planned.built.length === 0 && (planned.retire?.length ?? 0) === 0)) return { state, seq: null, built: [], lostRaces, repaired };
    checkCancelled(ctx.signal, 'Batch creation was cancelled before anything was committed.');
    await writeTasks(ctx, planned.built);
    const entry = newLedgerEntry({ project: ctx.project, seq, action: planned.action, createdBy: ctx.createdBy, reserve: planned.built.map((b) => ({ manifest: b.manifest })), retire: planned.retire ?? [] });
    if (!(await appendLedgerEntry(ctx.target, entry, ctx.index, ctx.signal))) {
      lostRaces += 1; // another lead took this number: their batches may hold the items we planned with
      continue;
    }
    await writeManifests(ctx, planned.built);
    return { state, seq, built: planned.built, lostRaces, repaired };
  }
  throw new FerryError('conflict', `Other leads kept changing project "${ctx.project}"'s batches at the same time; Ferry planned again ${MAX_ATTEMPTS} times and gave up. Nothing of this run is visible to annotators; run it again.`);
}
