// Retiring an unclaimed batch: a retirement record created at the batch's claim key with If-None-Match, so either the
// retirement or an annotator's claim wins that key — never both. A claimed batch is never touched.
import { RetirementSchema } from '../../shared/lead.ts';
import { claimKey, claimsPrefix, parseClaimKey } from '../../shared/s3-layout.ts';
import type { LeadIndexStore } from '../store/lead-index.ts';
import { createPointer, getText, listKeys } from '../s3/objects.ts';
import type { S3Target } from '../projects/projects.ts';
import { mapLimit } from './map-limit.ts';
import type { LiveBatch, ProjectBatches } from './project-batches.ts';

export type RetireResult = { readonly retired: LiveBatch[]; readonly kept: LiveBatch[] };

// Batch ids with something at their claim key: a claim, or a retirement.
export async function claimedBatches(target: S3Target, project: string, region: string, signal?: AbortSignal): Promise<Set<string>> {
  const taken = new Set<string>();
  for await (const o of listKeys(target.client, target.bucket, claimsPrefix(target.prefix, project, region), signal ? { signal } : {})) {
    const ref = parseClaimKey(target.prefix, o.key);
    if (ref) taken.add(ref.batch);
  }
  return taken;
}

// Live batches of each region that nobody has claimed, in queue order.
export async function unclaimedByRegion(target: S3Target, project: string, regions: readonly string[], state: ProjectBatches, signal?: AbortSignal): Promise<Map<string, LiveBatch[]>> {
  const out = new Map<string, LiveBatch[]>();
  await mapLimit(
    regions,
    8,
    async (region) => {
      const taken = await claimedBatches(target, project, region, signal);
      const free = [...state.live.values()].filter((b) => b.region === region && !taken.has(b.batch)).sort((a, b) => a.priority - b.priority || (a.batch < b.batch ? -1 : 1));
      out.set(region, free);
    },
    signal,
  );
  return out;
}

async function holdsRetirement(target: S3Target, key: string, seq: number): Promise<boolean> {
  try {
    const { text } = await getText(target.client, target.bucket, key);
    const parsed = RetirementSchema.safeParse(JSON.parse(text));
    return parsed.success && parsed.data.ledgerSeq === seq;
  } catch {
    return false;
  }
}

export async function retireBatches(target: S3Target, project: string, seq: number, candidates: readonly LiveBatch[], options: { readonly retiredBy: string; readonly reason: string; readonly index?: LeadIndexStore; readonly signal?: AbortSignal }): Promise<RetireResult> {
  const retired: LiveBatch[] = [];
  const kept: LiveBatch[] = [];
  await mapLimit(
    candidates,
    8,
    async (b) => {
      const record = RetirementSchema.parse({ kind: 'ferry.retired', version: 1, project, region: b.region, batch: b.batch, ledgerSeq: seq, retiredAt: new Date().toISOString(), retiredBy: options.retiredBy, reason: options.reason });
      const key = claimKey(target.prefix, project, b.region, b.batch);
      const result = await createPointer(target.client, target.bucket, key, JSON.stringify(record, null, 2), { contentType: 'application/json', ...(options.signal ? { signal: options.signal } : {}) });
      // A 412 is usually an annotator's claim, but can be our own write answered twice (a retried request): look.
      const won = result.created || (await holdsRetirement(target, key, seq));
      (won ? retired : kept).push(b);
      options.index?.putRetireOutcome(target.bucket, project, seq, b.region, b.batch, won ? 'retired' : 'kept');
    },
    options.signal,
  );
  return { retired, kept };
}
