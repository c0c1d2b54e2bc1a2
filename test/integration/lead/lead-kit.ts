// Shared bits of the lead tests: a lead's workspace with a project, raw S3 access behind Ferry's back, and checks that
// read the bucket independently (every live batch's items, claims) to prove what Ferry wrote.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { createProject, type NewProject, type S3Target } from '../../../electron/projects/projects.ts';
import type { LeadIndexStore } from '../../../electron/store/lead-index.ts';
import { BatchManifestSchema, type BatchManifest } from '../../../shared/batch.ts';
import { makeWorkspace, type TestWorkspace } from '../../helpers/workspace-fixture.ts';
import { ferryError, rawDelete, rawGet, rawJson, rawKeys, rawPut } from '../../helpers/raw-s3.ts';

export { ferryError, rawDelete, rawGet, rawJson, rawKeys, rawPut };

export const PROJECT = 'reviews';

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export type Lead = TestWorkspace & { readonly target: S3Target; readonly index: LeadIndexStore };

const open: TestWorkspace[] = [];
afterEach(async () => {
  for (const ws of open.splice(0)) await ws.core.close();
});

export async function leadWorkspace(options: Parameters<typeof makeWorkspace>[0] = {}): Promise<Lead> {
  const ws = await makeWorkspace({ annotator: 'lena', ...options });
  open.push(ws);
  const opened = await ws.core.workspaces.get();
  return { ...ws, target: opened.target, index: opened.store.lead };
}

export async function makeProject(lead: Lead, overrides: Partial<NewProject> = {}): Promise<void> {
  await createProject(lead.target, { name: PROJECT, recipe: 'textcat.manual', labels: ['POSITIVE', 'NEGATIVE'], regions: ['emea', 'apac'], batchSize: 5, createdBy: 'lena', ...overrides });
}

export function writeLines(dir: string, name: string, lines: readonly unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  return path;
}

export function items(count: number, prefix = 'doc'): { id: string; text: string; meta: { source: string } }[] {
  return Array.from({ length: count }, (_, i) => ({ id: `${prefix}-${String(i).padStart(3, '0')}`, text: `Review number ${i}`, meta: { source: ['web', 'mail', 'phone'][i % 3]! } }));
}

export type SeenBatch = { readonly region: string; readonly batch: string; readonly manifest: BatchManifest; readonly claim: Record<string, unknown> | null; readonly tasks: Record<string, unknown>[] };

// Every batch with a manifest, read with a plain client: manifest, whatever is at its claim key, and its task lines.
export async function readBatches(lead: Lead, project = PROJECT): Promise<SeenBatch[]> {
  const { bucket, prefix } = lead.config;
  const keys = await rawKeys(bucket, `${prefix}projects/${project}/`);
  const claims = new Set(keys.filter((k) => k.includes('/claims/')));
  const out: SeenBatch[] = [];
  for (const key of keys.filter((k) => k.endsWith('/batch.json'))) {
    const [region, batch] = key.slice(`${prefix}projects/${project}/batches/`.length).split('/') as [string, string];
    const manifest = BatchManifestSchema.parse(await rawJson(bucket, key));
    const claimKey = `${prefix}projects/${project}/claims/${region}/${batch}.json`;
    const claim = claims.has(claimKey) ? await rawJson(bucket, claimKey) : null;
    const tasksText = (await rawGet(bucket, key.replace(/batch\.json$/, 'tasks.jsonl'))).toString('utf8');
    out.push({ region, batch, manifest, claim, tasks: tasksText.split('\n').filter((l) => l).map((l) => JSON.parse(l) as Record<string, unknown>) });
  }
  return out;
}

// Live = not retired. Throws naming the item when any item is in two live batches.
export function liveItemsOf(batches: readonly SeenBatch[]): Map<string, string> {
  const owner = new Map<string, string>();
  for (const b of batches) {
    if (b.claim?.kind === 'ferry.retired') continue;
    for (const item of b.manifest.items) {
      const before = owner.get(item);
      if (before) throw new Error(`item ${item} is in two live batches: ${before} and ${b.region}/${b.batch}`);
      owner.set(item, `${b.region}/${b.batch}`);
    }
  }
  return owner;
}
