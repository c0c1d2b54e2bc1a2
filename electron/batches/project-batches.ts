// Which batches a project has and which pool items they hold, from the ledger plus one listing of batches/ — not one
// GET per manifest. Batches made outside the ledger (older Ferry, by hand) are read once each and cached by ETag.
import { BatchManifestSchema, type BatchManifest } from '../../shared/batch.ts';
import { RetirementSchema } from '../../shared/lead.ts';
import { FerryError } from '../../shared/result.ts';
import { batchManifestKey, batchesRootPrefix, claimKey, parseBatchKey } from '../../shared/s3-layout.ts';
import { retireOutcomeKey, type LeadIndexStore, type RetireOutcome } from '../store/lead-index.ts';
import { getJson, getText, listKeys } from '../s3/objects.ts';
import type { S3Target } from '../projects/projects.ts';
import { readLedger, type LedgerState } from './ledger.ts';
import { mapLimit } from './map-limit.ts';
import { queuePosition } from './plan.ts';

export type LiveBatch = { readonly region: string; readonly batch: string; readonly priority: number; readonly items: readonly string[]; readonly ledgerSeq: number | null };

export type ProjectBatches = {
  readonly ledger: LedgerState;
  readonly live: ReadonlyMap<string, LiveBatch>; // "region/batch" -> batch, retired ones excluded
  readonly retired: ReadonlySet<string>;
  readonly used: ReadonlySet<string>; // item ids in live batches: never put into another one
  readonly nextPosition: ReadonlyMap<string, number>;
  readonly missingManifests: readonly BatchManifest[]; // reserved in the ledger, batch.json not written yet
};

export function refOf(region: string, batch: string): string {
  return `${region}/${batch}`;
}

type Listed = { manifests: Map<string, string>; positions: Map<string, number> };

async function listBatches(target: S3Target, project: string, signal?: AbortSignal): Promise<Listed> {
  const manifests = new Map<string, string>(); // ref -> ETag of batch.json
  const positions = new Map<string, number>();
  for await (const o of listKeys(target.client, target.bucket, batchesRootPrefix(target.prefix, project), signal ? { signal } : {})) {
    const ref = parseBatchKey(target.prefix, o.key);
    if (!ref) continue;
    const id = refOf(ref.region, ref.batch);
    if (ref.file !== 'batch.json') continue; // tasks.jsonl alone: a run that lost its ledger race, never a batch
    manifests.set(id, o.etag);
    const position = queuePosition(ref.batch);
    if (position !== undefined) positions.set(ref.region, Math.max(positions.get(ref.region) ?? 0, position + 1));
  }
  return { manifests, positions };
}

// A retirement candidate counts only if its retirement pointer won the claim key; both outcomes are final once seen.
async function resolveOutcome(target: S3Target, project: string, seq: number, region: string, batch: string, signal?: AbortSignal): Promise<RetireOutcome | null> {
  const key = claimKey(target.prefix, project, region, batch);
  let text: string;
  try {
    text = (await getText(target.client, target.bucket, key, signal ? { signal } : {})).text;
  } catch (error) {
    if (error instanceof FerryError && error.code === 'not-found') return null; // not decided yet: the batch stays live
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return 'kept';
  }
  const retirement = RetirementSchema.safeParse(raw);
  return retirement.success && retirement.data.ledgerSeq === seq ? 'retired' : 'kept';
}

export async function readProjectBatches(target: S3Target, project: string, index?: LeadIndexStore, signal?: AbortSignal): Promise<ProjectBatches> {
  const [listed, ledger] = await Promise.all([listBatches(target, project, signal), readLedger(target, project, index, signal)]);
  const live = new Map<string, LiveBatch>();
  const nextPosition = new Map(listed.positions);
  const reserved = new Map<string, BatchManifest>();
  for (const entry of ledger.entries) {
    for (const { manifest: m } of entry.reserve) {
      const id = refOf(m.region, m.batch);
      reserved.set(id, m);
      live.set(id, { region: m.region, batch: m.batch, priority: m.priority, items: m.items, ledgerSeq: entry.seq });
      nextPosition.set(m.region, Math.max(nextPosition.get(m.region) ?? 0, m.priority + 1));
    }
  }
  const missingManifests = [...reserved.entries()].filter(([id]) => !listed.manifests.has(id)).map(([, m]) => m);
  // Batches not in the ledger: their manifests are the only record of their items.
  const foreign = [...listed.manifests.entries()].filter(([id]) => !reserved.has(id));
  const foreignItems = await mapLimit(
    foreign,
    8,
    async ([id, etag]) => {
      const [region, batch] = id.split('/') as [string, string];
      const key = batchManifestKey(target.prefix, project, region, batch);
      const cachedItems = index?.manifestItems(target.bucket, key, etag);
      if (cachedItems) return { id, items: cachedItems, priority: 0 };
      const { value } = await getJson(target.client, target.bucket, key, BatchManifestSchema, signal ? { signal } : {});
      index?.putManifestItems(target.bucket, key, etag, value.items);
      return { id, items: value.items, priority: value.priority };
    },
    signal,
  );
  for (const f of foreignItems) {
    const [region, batch] = f.id.split('/') as [string, string];
    live.set(f.id, { region, batch, priority: queuePosition(batch) ?? f.priority, items: f.items, ledgerSeq: null });
  }
  const retired = new Set<string>();
  const known = index?.retireOutcomes(target.bucket, project) ?? new Map<string, RetireOutcome>();
  const candidates = ledger.entries.flatMap((e) => e.retire.map((r) => ({ seq: e.seq, ...r })));
  await mapLimit(
    candidates,
    8,
    async (c) => {
      const cacheKey = retireOutcomeKey(c.seq, c.region, c.batch);
      let outcome = known.get(cacheKey) ?? null;
      if (outcome === null) {
        outcome = await resolveOutcome(target, project, c.seq, c.region, c.batch, signal);
        if (outcome !== null) index?.putRetireOutcome(target.bucket, project, c.seq, c.region, c.batch, outcome);
      }
      if (outcome === 'retired') retired.add(refOf(c.region, c.batch));
    },
    signal,
  );
  for (const id of retired) live.delete(id);
  const used = new Set<string>();
  for (const b of live.values()) for (const item of b.items) used.add(item);
  return { ledger, live, retired, used, nextPosition, missingManifests };
}
