// Sets up the publish benchmark once: a bucket, a textcat project and batches made by Ferry itself, claimed and pulled
// by an annotator's workspace, and 100,000 answers recorded into its real store as the harvest records them (Prodigy
// examples as db-out prints them, ~300–600 bytes each). The data folder is then the template every run copies.
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WorkspaceConfig } from '../../shared/config.ts';
import { createBatches } from '../../electron/batches/create-batches.ts';
import { saveWorkspaceFile } from '../../electron/config/workspace-file.ts';
import { createCore } from '../../electron/host/core.ts';
import { createProject, type S3Target } from '../../electron/projects/projects.ts';
import { createS3Client } from '../../electron/s3/client.ts';
import type { AnswerInput } from '../../electron/store/store.ts';
import { batchPaths } from '../../electron/workspace/paths.ts';
import { CREDENTIALS } from '../lib/process.ts';

export const PROJECT = 'reviews';
export const LABELS = ['POSITIVE', 'NEGATIVE'];
const WORDS = 'the delivery arrived late but the product works well and support answered quickly although the box was damaged and one part missing overall we would order again from this shop'.split(' ');

export type SeededPublish = { readonly config: WorkspaceConfig; readonly answers: number; readonly batches: number; readonly answerBytes: { min: number; max: number; mean: number } };

// A deterministic pseudo-random review text of 5–225 characters, so each example is ~380–600 bytes.
function reviewText(i: number): string {
  let x = (i * 2654435761) >>> 0;
  const target = 5 + (x % 220);
  const words: string[] = [];
  let length = 0;
  while (length < target) {
    x = (x * 1103515245 + 12345) >>> 0;
    const word = WORDS[x % WORDS.length]!;
    words.push(word);
    length += word.length + 1;
  }
  return `${words.join(' ')}.`;
}

// One example as Prodigy's db-out prints it for textcat.manual with several labels (the choice interface).
function example(task: { text: string; meta: Record<string, unknown> }, i: number, annotator: string): AnswerInput {
  const taskHash = (i * 2246822519) | 0;
  const inputHash = (i * 3266489917) | 0;
  const answer = i % 10 === 9 ? 'reject' : i % 23 === 0 ? 'ignore' : 'accept';
  const content = {
    text: task.text,
    meta: task.meta,
    _input_hash: inputHash,
    _task_hash: taskHash,
    options: LABELS.map((l) => ({ id: l, text: l })),
    _view_id: 'choice',
    config: { choice_style: 'single' },
    accept: answer === 'accept' ? [LABELS[i % LABELS.length]] : [],
    answer,
    _timestamp: 1_718_000_000 + i,
    _annotator_id: `${PROJECT}-${annotator}`,
    _session_id: `${PROJECT}-${annotator}`,
  };
  return { taskHash, inputHash, answer, content };
}

export async function seedPublish(endpoint: string, workDir: string, options: { answers: number; perBatch: number; log: (line: string) => void }): Promise<SeededPublish> {
  const bucket = `bench-publish-${randomBytes(3).toString('hex')}`;
  const config: WorkspaceConfig = { bucket, prefix: 'team/', awsRegion: 'us-east-1', endpoint, forcePathStyle: true, annotator: 'ana', region: 'emea', dataDir: join(workDir, 'template', 'data') };
  const lead = createS3Client(config, { credentials: CREDENTIALS });
  const configPath = join(workDir, 'template', 'workspace.json');
  await saveWorkspaceFile(configPath, config);
  const core = createCore({ configPath, host: 'cli', version: '0.0.0-bench' });
  try {
    await lead.send(new CreateBucketCommand({ Bucket: bucket }));
    const target: S3Target = { client: lead, bucket, prefix: config.prefix };
    await createProject(target, { name: PROJECT, recipe: 'textcat.manual', labels: LABELS, regions: ['emea'], batchSize: options.perBatch, createdBy: 'bench' });
    const poolFile = join(workDir, 'pool.jsonl');
    const pool = Array.from({ length: options.answers }, (_, i) => JSON.stringify({ id: `review-${String(i + 1).padStart(6, '0')}`, text: reviewText(i) }));
    await writeFile(poolFile, `${pool.join('\n')}\n`);
    const made = await createBatches(target, { project: PROJECT, region: 'emea', poolFile, size: options.perBatch, createdBy: 'bench' });
    options.log(`${made.created.length} batches of ${options.perBatch} tasks created`);

    const ws = await core.workspaces.get();
    let recorded = 0;
    const sizes = { min: Infinity, max: 0, total: 0 };
    for (let b = 0; b < made.created.length; b += 1) {
      const claimed = await core.annotator.claimNext(PROJECT);
      const paths = batchPaths(config.dataDir, claimed.project, claimed.region, claimed.batch);
      const tasks = (await readFile(paths.tasks, 'utf8')).split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { text: string; meta: Record<string, unknown> });
      const answers = tasks.map((t) => example(t, (recorded += 1), config.annotator));
      for (const a of answers) {
        const bytes = Buffer.byteLength(JSON.stringify(a.content));
        sizes.min = Math.min(sizes.min, bytes);
        sizes.max = Math.max(sizes.max, bytes);
        sizes.total += bytes;
      }
      // As the harvest records them: one transaction per db-out of a batch.
      ws.store.recordAnswers(claimed.id, config.annotator, answers);
    }
    options.log(`${recorded} answers recorded into ${ws.store.path}`);
    return { config, answers: recorded, batches: made.created.length, answerBytes: { min: sizes.min, max: sizes.max, mean: Math.round(sizes.total / Math.max(1, recorded)) } };
  } finally {
    await core.close();
    lead.destroy();
  }
}
