// "Get my batch": the first unclaimed batch of the annotator's region, claimed by a create-once write (invariant 3).
import { BatchManifestSchema, ClaimSchema, type BatchManifest, type Claim } from '../../shared/batch.ts';
import { FerryError } from '../../shared/result.ts';
import { batchManifestKey, batchPrefix, claimKey, parseBatchKey } from '../../shared/s3-layout.ts';
import { claimedBatches } from '../batches/retire.ts';
import { createPointer, getJson, listKeys } from '../s3/objects.ts';
import { listProjectNames, readProject, type S3Target } from '../projects/projects.ts';
import { DAY_MS } from './lease.ts';

export type ClaimRequest = {
  readonly annotator: string;
  readonly region: string;
  readonly project?: string;
  readonly appVersion: string;
  readonly now?: () => Date;
  readonly signal?: AbortSignal;
};

export type ClaimedBatch = { readonly manifest: BatchManifest; readonly claim: Claim; readonly etag: string; readonly lostRaces: number };

// Batch ids of a region in claim order (S3 lists keys sorted; ids begin with their queue position).
export async function listRegionBatches(target: S3Target, project: string, region: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const entry of listKeys(target.client, target.bucket, batchPrefix(target.prefix, project, region))) {
    const ref = parseBatchKey(target.prefix, entry.key);
    if (ref?.file === 'batch.json') ids.push(ref.batch);
  }
  return ids.sort();
}

export function buildClaim(manifest: BatchManifest, request: ClaimRequest, now: Date): Claim {
  return ClaimSchema.parse({
    kind: 'ferry.claim',
    version: 1,
    project: manifest.project,
    region: manifest.region,
    batch: manifest.batch,
    annotator: request.annotator,
    claimedAt: now.toISOString(),
    leaseUntil: new Date(now.getTime() + manifest.leaseDays * DAY_MS).toISOString(),
    appVersion: request.appVersion,
  });
}

async function projectsToSearch(target: S3Target, request: ClaimRequest): Promise<string[]> {
  if (request.project) {
    const project = await readProject(target, request.project);
    if (!project.regions.includes(request.region)) {
      throw new FerryError('no-batches-left', `Project "${project.name}" has no work for region "${request.region}" (its regions: ${project.regions.join(', ')}).`);
    }
    return [project.name];
  }
  return await listProjectNames(target);
}

export async function claimNextBatch(target: S3Target, request: ClaimRequest): Promise<ClaimedBatch> {
  const now = request.now ?? (() => new Date());
  let lostRaces = 0;
  const projects = await projectsToSearch(target, request);
  for (const project of projects) {
    const [batches, claimed] = await Promise.all([listRegionBatches(target, project, request.region), claimedBatches(target, project, request.region)]);
    for (const batch of batches) {
      if (claimed.has(batch)) continue;
      if (request.signal?.aborted) throw new FerryError('cancelled', 'Getting a batch was cancelled.');
      const { value: manifest } = await getJson(target.client, target.bucket, batchManifestKey(target.prefix, project, request.region, batch), BatchManifestSchema);
      const claim = buildClaim(manifest, request, now());
      const key = claimKey(target.prefix, project, request.region, batch);
      const result = await createPointer(target.client, target.bucket, key, JSON.stringify(claim, null, 2), { contentType: 'application/json' });
      if (result.created) return { manifest, claim, etag: result.etag, lostRaces };
      lostRaces += 1; // a faster annotator got this one: try the next
    }
  }
  const scope = request.project ? `project "${request.project}"` : projects.length === 0 ? 'this bucket (it has no projects yet)' : `any project (${projects.join(', ')})`;
  throw new FerryError('no-batches-left', `No batches are left for region "${request.region}" in ${scope}. Ask your team lead to create more, then try again.`);
}
