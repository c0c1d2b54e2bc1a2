// A lead may hand a stale batch to a named annotator (`ferry claims reassign --to NAME`). That annotator's
// Get my batch finds it through the lead's release records (rare, so one listing per region is cheap).
import { BatchManifestSchema, ClaimSchema, type BatchManifest, type Claim } from '../../shared/batch.ts';
import { ReleaseRecordSchema } from '../../shared/lead.ts';
import { batchManifestKey, claimKey, parseReleaseKey, releasesPrefix } from '../../shared/s3-layout.ts';
import type { S3Target } from '../projects/projects.ts';
import { getJson, listKeys } from '../s3/objects.ts';
import { FerryError } from '../../shared/result.ts';

export type Adopted = { readonly manifest: BatchManifest; readonly claim: Claim; readonly etag: string };

export type AdoptRequest = {
  readonly annotator: string;
  readonly region: string;
  readonly projects: readonly string[];
  readonly isLocal: (project: string, batch: string) => boolean;
  readonly seen: ReadonlySet<string>; // release record keys already looked at
  readonly markSeen: (key: string) => void;
};

export async function findReassignedBatch(target: S3Target, request: AdoptRequest): Promise<Adopted | null> {
  for (const project of request.projects) {
    for await (const entry of listKeys(target.client, target.bucket, releasesPrefix(target.prefix, project, request.region))) {
      const ref = parseReleaseKey(target.prefix, entry.key);
      if (!ref || request.seen.has(entry.key) || request.isLocal(project, ref.batch)) continue;
      const { value: record } = await getJson(target.client, target.bucket, entry.key, ReleaseRecordSchema);
      request.markSeen(entry.key);
      if (record.action !== 'reassign' || record.to !== request.annotator) continue;
      // The record says it was meant for me; the claim itself says whether it still is.
      let claimed;
      try {
        claimed = await getJson(target.client, target.bucket, claimKey(target.prefix, project, request.region, ref.batch), ClaimSchema);
      } catch (error) {
        if (error instanceof FerryError && error.code === 'not-found') continue;
        throw error;
      }
      if (claimed.value.annotator !== request.annotator) continue;
      const { value: manifest } = await getJson(target.client, target.bucket, batchManifestKey(target.prefix, project, request.region, ref.batch), BatchManifestSchema);
      return { manifest, claim: claimed.value, etag: claimed.etag };
    }
  }
  return null;
}
