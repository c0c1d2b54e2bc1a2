// `npm run demo`: a local S3 endpoint, a seeded sample project, and the app — no AWS account or Prodigy licence needed.
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WorkspaceConfig } from '../../shared/config.ts';
import { createBatches } from '../batches/create-batches.ts';
import { saveWorkspaceFile } from '../config/workspace-file.ts';
import { createCore } from '../host/core.ts';
import { startWebHost } from '../host/web-host.ts';
import { resolveProdigyCommand } from '../prodigy/resolve-command.ts';
import { createProject } from '../projects/projects.ts';
import { createS3Client } from '../s3/client.ts';
import { startMoto } from './local-s3.ts';
import { entityPool, sentimentPool } from './sample-data.ts';

export const STANDIN_BIN = fileURLToPath(new URL('../../test/prodigy-standin/bin/prodigy', import.meta.url));
const DEMO_CREDENTIALS = { accessKeyId: 'demo', secretAccessKey: 'demo' };

export type DemoOptions = { readonly port?: number; readonly dir?: string; readonly log: (line: string) => void; readonly distDir: string };

function writeJsonl(path: string, rows: readonly object[]): string {
  writeFileSync(path, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
  return path;
}

// Real Prodigy when this machine has it; otherwise the stand-in, and the app says so.
async function demoProdigyCommand(): Promise<{ command: string[]; kind: 'real' | 'stand-in' }> {
  try {
    return { command: await resolveProdigyCommand(undefined), kind: 'real' };
  } catch {
    return { command: ['python3', STANDIN_BIN], kind: 'stand-in' };
  }
}

export async function seedDemo(config: WorkspaceConfig, dir: string): Promise<{ batches: number }> {
  const client = createS3Client(config, { credentials: DEMO_CREDENTIALS });
  try {
    const target = { client, bucket: config.bucket, prefix: config.prefix };
    await createProject(target, { name: 'news-sentiment', recipe: 'textcat.manual', labels: ['POSITIVE', 'NEGATIVE', 'NEUTRAL'], regions: ['emea', 'apac'], batchSize: 10, createdBy: 'demo-lead' });
    await createProject(target, { name: 'news-entities', recipe: 'ner.manual', labels: ['PERSON', 'ORG', 'LOC'], regions: ['emea', 'apac'], batchSize: 8, createdBy: 'demo-lead' });
    const sentiment = writeJsonl(join(dir, 'sentiment-pool.jsonl'), sentimentPool(60));
    const entities = writeJsonl(join(dir, 'entities-pool.jsonl'), entityPool(48));
    let batches = 0;
    for (const [project, pool, count] of [['news-sentiment', sentiment, 3], ['news-entities', entities, 3]] as const) {
      for (const region of ['emea', 'apac']) {
        batches += (await createBatches(target, { project, region, poolFile: pool, count, createdBy: 'demo-lead' })).created.length;
      }
    }
    return { batches };
  } finally {
    client.destroy();
  }
}

function electronBinary(): string | undefined {
  const local = fileURLToPath(new URL('../../node_modules/electron/dist/electron', import.meta.url));
  return existsSync(local) ? local : undefined;
}

export async function runDemo(options: DemoOptions): Promise<{ url: string; stop: () => Promise<void> }> {
  const { log } = options;
  // The demo's S3 credentials are only for the local server; set them before any client resolves the chain.
  process.env.AWS_ACCESS_KEY_ID = DEMO_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = DEMO_CREDENTIALS.secretAccessKey;
  const dir = options.dir ?? join(tmpdir(), `ferry-demo-${Date.now().toString(36)}`);
  mkdirSync(dir, { recursive: true });
  log('Starting a local S3 endpoint (moto_server)…');
  const moto = await startMoto();
  const bucket = 'ferry-demo';
  const admin = new S3Client({ endpoint: moto.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: DEMO_CREDENTIALS });
  await admin.send(new CreateBucketCommand({ Bucket: bucket }));
  admin.destroy();

  const prodigy = await demoProdigyCommand();
  const config: WorkspaceConfig = {
    bucket,
    prefix: 'demo/',
    awsRegion: 'us-east-1',
    endpoint: moto.endpoint,
    forcePathStyle: true,
    annotator: 'ada',
    region: 'emea',
    dataDir: join(dir, 'data'),
    prodigyCommand: prodigy.command,
  };
  const configPath = join(dir, 'workspace.json');
  await saveWorkspaceFile(configPath, config);
  const seeded = await seedDemo(config, dir);
  log(`Seeded s3://${bucket}/demo/ with 2 projects (textcat and NER), regions emea and apac, ${seeded.batches} batches.`);
  log(prodigy.kind === 'real' ? `Using Prodigy: ${prodigy.command.join(' ')}` : 'Prodigy is not installed here: using the Prodigy stand-in from test/prodigy-standin (the app says so too).');

  const electron = electronBinary();
  if (electron && process.env.DISPLAY) {
    log('Opening the Ferry app (Electron)…');
    const child = spawn(electron, [fileURLToPath(new URL('../../dist/electron/main.cjs', import.meta.url))], { stdio: 'inherit', env: { ...process.env, FERRY_CONFIG: configPath } });
    await new Promise<void>((resolve) => child.on('close', () => resolve()));
    await moto.stop();
    return { url: '', stop: async () => undefined };
  }
  const core = createCore({ configPath, host: 'web', version: 'demo' });
  const host = await startWebHost({ core, port: options.port ?? 0, distDir: options.distDir });
  log(`Workspace file: ${configPath} (annotator "ada", region "emea")`);
  return {
    url: host.url,
    async stop() {
      await host.close();
      await core.close();
      await moto.stop();
    },
  };
}
