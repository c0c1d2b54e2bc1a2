// Seeds the lead-progress benchmark: a project of BATCHES batches over REGIONS regions, written directly with small bodies
// in parallel (seeding is not what is measured). Half the batches are claimed, a quarter submitted (a fifth of those in
// review, a tenth accepted), five annotators per region send heartbeats. Returns the numbers progress must report.
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Agent } from 'node:http';
import { createProject, type S3Target } from '../../electron/projects/projects.ts';
import { CREDENTIALS } from '../lib/process.ts';
import { batchManifestKey, batchTasksKey, claimKey, heartbeatKey, resultChunkKey, reviewChunkKey, submissionKey, verdictKey } from '../../shared/s3-layout.ts';

const SHA = 'c0'.repeat(32);

export type SeedPlan = { readonly regions: number; readonly perRegion: number };
export type Expected = { readonly batches: Record<string, number>; readonly answers: { accept: number; reject: number; ignore: number; total: number }; readonly keys: number; readonly lastKey: string };

export function regionName(r: number): string {
  return `r${String(r).padStart(2, '0')}`;
}
export function batchName(b: number): string {
  return `${String(b).padStart(6, '0')}-${(b * 2654435761 % 4294967296).toString(16).padStart(8, '0')}ab`;
}
export function annotatorOf(b: number): string {
  return `ann${b % 5}`;
}

export function rawBenchClient(endpoint: string): S3Client {
  return new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: CREDENTIALS, requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: 64 }) } });
}

// Every object of the plan as [key, body]; bodies are small but valid, so progress parses them as it would real ones.
export function* planObjects(prefix: string, project: string, plan: SeedPlan, now: Date): Generator<[string, string]> {
  const day = 24 * 3600 * 1000;
  for (let r = 0; r < plan.regions; r += 1) {
    const region = regionName(r);
    for (let b = 0; b < plan.perRegion; b += 1) {
      const batch = batchName(b);
      yield [batchManifestKey(prefix, project, region, batch), JSON.stringify({ kind: 'ferry.batch', batch, region, priority: b })];
      yield [batchTasksKey(prefix, project, region, batch), '{"text":"t"}\n'];
      if (b % 2 === 1) continue; // the odd half stays unclaimed
      const annotator = annotatorOf(b);
      const claimedAt = new Date(now.getTime() - ((b % 9) + 1) * day).toISOString();
      const leaseUntil = new Date(Date.parse(claimedAt) + 7 * day).toISOString();
      yield [claimKey(prefix, project, region, batch), JSON.stringify({ kind: 'ferry.claim', version: 1, project, region, batch, annotator, claimedAt, leaseUntil, appVersion: '0.1.0' })];
      if (b % 4 !== 0) continue; // half of the claimed are submitted: a quarter of all
      yield [resultChunkKey(prefix, project, region, batch, annotator, 0, SHA), '{}\n'];
      const submittedAt = new Date(Date.parse(claimedAt) + day / 2).toISOString();
      yield [submissionKey(prefix, project, region, batch, annotator), JSON.stringify({ kind: 'ferry.submission', version: 1, project, region, batch, annotator, submittedAt, chunks: [], answers: { total: 10, accept: 7, reject: 2, ignore: 1 }, tasks: 10, late: false, appVersion: '0.1.0' })];
      if (b % 20 === 0) yield [reviewChunkKey(prefix, project, region, batch, 'rex', 0, SHA), '{}\n'];
      if (b % 40 === 0) yield [verdictKey(prefix, project, region, batch, 'accepted'), '{}'];
    }
    for (let a = 0; a < 5; a += 1) {
      const annotator = `ann${a}`;
      yield [heartbeatKey(prefix, project, region, annotator), JSON.stringify({ kind: 'ferry.heartbeat', version: 1, project, region, annotator, lastSeenAt: new Date(now.getTime() - a * 3600 * 1000).toISOString(), answersWaiting: a * 3, appVersion: '0.1.0' })];
    }
  }
}

export function expectedOf(plan: SeedPlan, keys: readonly string[]): Expected {
  let accepted = 0;
  let inReview = 0;
  let submitted = 0;
  let claimed = 0;
  for (let b = 0; b < plan.perRegion; b += 1) {
    if (b % 2 === 1) continue;
    if (b % 4 !== 0) claimed += 1;
    else if (b % 40 === 0) accepted += 1;
    else if (b % 20 === 0) inReview += 1;
    else submitted += 1;
  }
  const n = plan.regions;
  const subs = n * (accepted + inReview + submitted);
  // unclaimed: the odd batch numbers of each region
  return {
    batches: { unclaimed: n * Math.floor(plan.perRegion / 2), claimed: n * claimed, submitted: n * submitted, in_review: n * inReview, accepted: n * accepted, rework: 0, retired: 0, total: n * plan.perRegion },
    answers: { accept: 7 * subs, reject: 2 * subs, ignore: subs, total: 10 * subs },
    keys: keys.length,
    lastKey: [...keys].sort().at(-1)!,
  };
}

export async function seedProgress(endpoint: string, bucket: string, prefix: string, project: string, target: S3Target, plan: SeedPlan, log: (line: string) => void): Promise<Expected> {
  const client = rawBenchClient(endpoint);
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    await createProject(target, { name: project, recipe: 'textcat.manual', labels: ['POSITIVE', 'NEGATIVE'], regions: Array.from({ length: plan.regions }, (_, r) => regionName(r)), batchSize: 10, createdBy: 'bench' });
    const objects = [...planObjects(prefix, project, plan, new Date())];
    let next = 0;
    let done = 0;
    const started = Date.now();
    const worker = async () => {
      while (next < objects.length) {
        const [key, body] = objects[next++]!;
        await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
        done += 1;
        if (done % 5000 === 0) log(`seeded ${done}/${objects.length} objects (${Math.round((Date.now() - started) / 1000)} s)`);
      }
    };
    await Promise.all(Array.from({ length: 32 }, worker));
    return expectedOf(plan, [`${prefix}projects/${project}/project.json`, ...objects.map(([k]) => k)]);
  } finally {
    client.destroy();
  }
}
