// A real workspace for a test: its own bucket on moto_server, a temp dataDir, the Prodigy stand-in as Prodigy.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkspaceConfig } from '../../shared/config.ts';
import { saveWorkspaceFile } from '../../electron/config/workspace-file.ts';
import { createCore, type Core } from '../../electron/host/core.ts';
import { STANDIN_BIN } from '../prodigy-standin/harness.ts';
import { freshBucket, s3Endpoint } from './s3-fixture.ts';

export type TestWorkspace = { readonly dir: string; readonly configPath: string; readonly config: WorkspaceConfig; readonly core: Core };

export async function makeWorkspaceConfig(options: { bucket?: string; annotator?: string; region?: string; endpoint?: string; prefix?: string } = {}): Promise<{ dir: string; configPath: string; config: WorkspaceConfig }> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-ws-'));
  const config: WorkspaceConfig = {
    bucket: options.bucket ?? (await freshBucket()),
    prefix: options.prefix ?? 'team/',
    awsRegion: 'us-east-1',
    endpoint: options.endpoint ?? s3Endpoint(),
    forcePathStyle: true,
    annotator: options.annotator ?? 'alice',
    region: options.region ?? 'emea',
    dataDir: join(dir, 'data'),
    prodigyCommand: ['python3', STANDIN_BIN],
  };
  const configPath = join(dir, 'workspace.json');
  await saveWorkspaceFile(configPath, config);
  return { dir, configPath, config };
}

export async function makeWorkspace(options: Parameters<typeof makeWorkspaceConfig>[0] = {}): Promise<TestWorkspace> {
  const made = await makeWorkspaceConfig(options);
  const core = createCore({ configPath: made.configPath, host: 'cli', version: '0.0.0-test', annotator: { harvestIntervalMs: 300 } });
  return { ...made, core };
}

export function writePool(dir: string, name: string, lines: readonly unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  return path;
}

export function textPool(count: number, prefix = 'item'): { id: string; text: string }[] {
  return Array.from({ length: count }, (_, i) => ({ id: `${prefix}-${String(i + 1).padStart(4, '0')}`, text: `Sentence number ${i + 1} about ${i % 2 === 0 ? 'Berlin' : 'a product launch'}.` }));
}
