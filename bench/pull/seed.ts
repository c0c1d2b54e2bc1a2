// Puts the pull benchmark's data set on the loopback server: raw assets, a project and one batch made by Ferry itself.
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BatchManifest } from '../../shared/batch.ts';
import type { WorkspaceConfig } from '../../shared/config.ts';
import { batchManifestKey } from '../../shared/s3-layout.ts';
import { BatchManifestSchema } from '../../shared/batch.ts';
import { createBatches } from '../../electron/batches/create-batches.ts';
import { createProject, type S3Target } from '../../electron/projects/projects.ts';
import { createS3Client } from '../../electron/s3/client.ts';
import { getJson } from '../../electron/s3/objects.ts';
import { CREDENTIALS } from '../lib/process.ts';

export type SeededAsset = { readonly name: string; readonly sha256: string; readonly bytes: number };
export type SeededPull = { readonly config: WorkspaceConfig; readonly manifest: BatchManifest; readonly assets: readonly SeededAsset[]; readonly assetPrefix: string };


export function assetName(index: number): string {
  return `img-${String(index + 1).padStart(3, '0')}.jpg`;
}

async function inBatches<T>(items: readonly T[], width: number, each: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(each));
}

export async function seedPull(endpoint: string, workDir: string, options: { count: number; bytes: number }): Promise<SeededPull> {
  const bucket = `bench-pull-${randomBytes(3).toString('hex')}`;
  const assetPrefix = 'raw/';
  const config: WorkspaceConfig = {
    bucket,
    prefix: 'team/',
    awsRegion: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    annotator: 'bench',
    region: 'emea',
    dataDir: join(workDir, 'unused-data'),
  };
  const client = createS3Client(config, { credentials: CREDENTIALS });
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    const assets: SeededAsset[] = Array.from({ length: options.count }, (_, i) => ({ name: assetName(i), sha256: '', bytes: options.bytes }));
    const seeded: SeededAsset[] = [];
    await inBatches(assets, 8, async (asset) => {
      const body = randomBytes(options.bytes);
      const sha256 = createHash('sha256').update(body).digest('hex');
      // The checksum rides along as a team's upload tool would store it; batch creation then needs no extra read.
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: `${assetPrefix}${asset.name}`, Body: body, ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'), ContentType: 'image/jpeg' }),
      );
      seeded.push({ ...asset, sha256 });
    });
    seeded.sort((a, b) => a.name.localeCompare(b.name));

    const target: S3Target = { client, bucket, prefix: config.prefix };
    await createProject(target, { name: 'bench-images', recipe: 'image.manual', labels: ['OBJECT'], regions: ['emea'], batchSize: options.count, createdBy: 'bench' });
    const poolFile = join(workDir, 'pool.jsonl');
    await writeFile(poolFile, `${seeded.map((a) => JSON.stringify({ image: `s3://${bucket}/${assetPrefix}${a.name}` })).join('\n')}\n`);
    const made = await createBatches(target, { project: 'bench-images', region: 'emea', poolFile, size: options.count, createdBy: 'bench' });
    if (made.created.length !== 1) throw new Error(`Expected one batch of ${options.count} tasks, got ${made.created.length}.`);
    const { value: manifest } = await getJson(client, bucket, batchManifestKey(config.prefix, 'bench-images', 'emea', made.created[0]!.batch), BatchManifestSchema);
    if (manifest.assets.length !== options.count) throw new Error(`The batch manifest lists ${manifest.assets.length} assets, expected ${options.count}.`);
    return { config, manifest, assets: seeded, assetPrefix };
  } finally {
    client.destroy();
  }
}
