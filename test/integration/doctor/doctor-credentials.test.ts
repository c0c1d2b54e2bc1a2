// Credentials as the SDK really finds them: no keys at all, an unknown profile, a named profile, and keys S3 rejects.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../../shared/api.ts';
import type { WorkspaceConfig } from '../../../shared/config.ts';
import { runDoctor } from '../../../electron/doctor/doctor.ts';
import { startMoto, type MotoServer } from '../../helpers/moto.ts';
import { freshBucket, s3Endpoint } from '../../helpers/s3-fixture.ts';

const child = fileURLToPath(new URL('./doctor-child.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

function settings(bucket: string, endpoint: string, profile?: string): WorkspaceConfig {
  return { bucket, prefix: 'p/', awsRegion: 'us-east-1', endpoint, forcePathStyle: true, annotator: 'ana', region: 'emea', dataDir: '/tmp/ferry', ...(profile ? { profile } : {}) };
}

let home: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'ferry-creds-'));
  await writeFile(join(home, 'config'), '[profile team-emea]\nregion = us-east-1\n');
  await writeFile(join(home, 'credentials'), '[team-emea]\naws_access_key_id = testing\naws_secret_access_key = testing\n');
  await writeFile(join(home, 'empty'), '');
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

// Only what a clean login shell would have: no AWS_* keys, our own AWS files, and no instance-metadata lookups.
async function doctorInCleanEnv(config: WorkspaceConfig, files: { config: string; credentials: string }): Promise<DoctorReport> {
  const env = { PATH: process.env.PATH ?? '', HOME: home, AWS_CONFIG_FILE: files.config, AWS_SHARED_CREDENTIALS_FILE: files.credentials, AWS_EC2_METADATA_DISABLED: 'true' };
  const proc = spawn(process.execPath, ['--import', 'tsx', child, JSON.stringify(config)], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => proc.on('close', resolve));
  if (code !== 0) throw new Error(`doctor child exited ${code}: ${err}`);
  return JSON.parse(out) as DoctorReport;
}

function byId(report: DoctorReport) {
  return Object.fromEntries(report.checks.map((c) => [c.id, c]));
}

describe('doctor credentials', () => {
  it('says how to provide credentials when there are none anywhere', async () => {
    const report = await doctorInCleanEnv(settings(await freshBucket(), s3Endpoint()), { config: join(home, 'empty'), credentials: join(home, 'empty') });
    const checks = byId(report);
    expect(checks.credentials?.ok).toBe(false);
    expect(checks.credentials?.message).toMatch(/^No AWS credentials found\. Choose an AWS profile in Settings, set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY .*`aws sso login`/);
    expect(checks.bucket?.skipped).toBe(true);
    expect(report.ok).toBe(false);
  });

  it('names a configured profile that is not in the AWS files', async () => {
    const report = await doctorInCleanEnv(settings(await freshBucket(), s3Endpoint(), 'ghost'), { config: join(home, 'config'), credentials: join(home, 'credentials') });
    expect(byId(report).credentials?.message).toMatch(/^No usable AWS credentials for profile ghost: .*aws sso login --profile ghost/);
  });

  it('uses a named profile from the AWS files and says so', async () => {
    const report = await doctorInCleanEnv(settings(await freshBucket(), s3Endpoint(), 'team-emea'), { config: join(home, 'config'), credentials: join(home, 'credentials') });
    expect(byId(report).credentials?.message).toMatch(/^Using credentials from profile team-emea \(access key …ting\); S3 accepted them\.$/);
    expect(report.ok).toBe(true);
  });

  describe('against a store that checks keys', () => {
    let strict: MotoServer;
    beforeAll(async () => {
      strict = await startMoto({ env: { INITIAL_NO_AUTH_ACTION_COUNT: '0' } });
    });
    afterAll(async () => {
      await strict.stop();
    });

    it('reports keys the endpoint does not know as invalid credentials', async () => {
      const report = await runDoctor(settings('any-bucket', strict.endpoint));
      const checks = byId(report);
      expect(checks.credentials?.ok).toBe(false);
      expect(checks.credentials?.message).toMatch(/^S3 rejected the current AWS credentials while listing s3:\/\/any-bucket: they are not known to the endpoint \(InvalidAccessKeyId\)/);
      expect(checks.bucket?.skipped).toBe(true);
    });
  });
});
