// Invariant 3 under a real race: twenty annotators press Get my batch at the same moment; no batch gets two holders.
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { createBatches } from '../../../electron/batches/create-batches.ts';
import { claimNextBatch } from '../../../electron/claims/claim-batch.ts';
import { createProject } from '../../../electron/projects/projects.ts';
import { createS3Client } from '../../../electron/s3/client.ts';
import { freshBucket, rawClient } from '../../helpers/s3-fixture.ts';
import { makeWorkspaceConfig, textPool, writePool } from '../../helpers/workspace-fixture.ts';

const clients: { destroy(): void }[] = [];
afterEach(() => clients.splice(0).forEach((c) => c.destroy()));

describe('concurrent claims', () => {
  it('gives 20 simultaneous claimers 20 different batches, and the 21st is told none are left', async () => {
    const bucket = await freshBucket();
    const { config, dir } = await makeWorkspaceConfig({ bucket });
    const lead = createS3Client(config);
    clients.push(lead);
    const target = { client: lead, bucket, prefix: config.prefix };
    await createProject(target, { name: 'race', recipe: 'textcat.manual', labels: ['A', 'B'], regions: ['emea'], createdBy: 'lead' });
    await createBatches(target, { project: 'race', region: 'emea', poolFile: writePool(dir, 'pool.jsonl', textPool(40)), size: 2, createdBy: 'lead' });

    const annotators = Array.from({ length: 20 }, (_, i) => `annotator-${i}`);
    const results = await Promise.allSettled(
      annotators.map((annotator) => {
        const client = createS3Client(config); // each claimer has its own connection pool, as on its own laptop
        clients.push(client);
        return claimNextBatch({ client, bucket, prefix: config.prefix }, { annotator, region: 'emea', appVersion: 'test' });
      }),
    );
    const claimed = results.map((r) => {
      if (r.status === 'rejected') throw r.reason;
      return r.value;
    });
    const batches = claimed.map((c) => c.manifest.batch);
    expect(new Set(batches).size).toBe(20);
    expect(claimed.reduce((n, c) => n + c.lostRaces, 0)).toBeGreaterThan(0); // the race really happened

    // What S3 holds agrees: one claim object per batch, each naming the annotator who was told it won.
    const listed = await rawClient().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${config.prefix}projects/race/claims/emea/` }));
    expect(listed.KeyCount).toBe(20);
    for (const c of claimed) {
      const r = await rawClient().send(new GetObjectCommand({ Bucket: bucket, Key: `${config.prefix}projects/race/claims/emea/${c.manifest.batch}.json` }));
      expect(JSON.parse(await r.Body!.transformToString()).annotator).toBe(c.claim.annotator);
    }

    await expect(claimNextBatch(target, { annotator: 'late-comer', region: 'emea', appVersion: 'test' })).rejects.toMatchObject({ code: 'no-batches-left' });
  });
});
