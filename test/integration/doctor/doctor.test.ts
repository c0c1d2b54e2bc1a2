// The connection check against a real moto_server, with faults injected by our own proxy in between.
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { DoctorCheck, DoctorCheckId, DoctorReport } from '../../../shared/api.ts';
import type { WorkspaceConfig } from '../../../shared/config.ts';
import { runDoctor } from '../../../electron/doctor/doctor.ts';
import { freePort } from '../../helpers/moto.ts';
import { freshBucket, rawClient, s3Endpoint } from '../../helpers/s3-fixture.ts';
import { startFaultProxy, type FaultProxy } from '../../helpers/s3-fault-proxy.ts';

function settings(bucket: string, endpoint: string): WorkspaceConfig {
  return { bucket, prefix: 'teams/emea/', awsRegion: 'us-east-1', endpoint, forcePathStyle: true, annotator: 'ana', region: 'emea', dataDir: '/tmp/ferry-doctor-test' };
}

function check(report: DoctorReport, id: DoctorCheckId): DoctorCheck {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no ${id} check in report`);
  return found;
}

function states(report: DoctorReport): Record<string, string> {
  return Object.fromEntries(report.checks.map((c) => [c.id, c.skipped ? 'skipped' : c.warning ? 'warning' : c.ok ? 'ok' : 'failed']));
}

async function probesLeft(bucket: string): Promise<number> {
  const page = await rawClient().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'teams/emea/.ferry/probes/' }));
  return page.KeyCount ?? 0;
}

let proxy: FaultProxy | undefined;
afterEach(async () => {
  await proxy?.stop();
  proxy = undefined;
});

describe('runDoctor', () => {
  it('reports every check green against a working endpoint and removes its probe', async () => {
    const bucket = await freshBucket();
    const report = await runDoctor(settings(bucket, s3Endpoint()));
    expect(states(report)).toEqual({ config: 'ok', credentials: 'ok', bucket: 'ok', list: 'ok', write: 'ok', read: 'ok', 'conditional-writes': 'ok' });
    expect(report.ok).toBe(true);
    expect(report.endpoint).toBe(s3Endpoint());
    expect(check(report, 'credentials').message).toMatch(/environment variables/);
    expect(check(report, 'credentials').message).not.toContain('testing');
    expect(await probesLeft(bucket)).toBe(0);
  });

  it('fails fast on an endpoint where nothing listens, naming it, and skips what depends on it', async () => {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const report = await runDoctor(settings('any-bucket', endpoint));
    expect(states(report)).toEqual({ config: 'ok', credentials: 'failed', bucket: 'skipped', list: 'skipped', write: 'skipped', read: 'skipped', 'conditional-writes': 'skipped' });
    expect(check(report, 'credentials').message).toContain(`Cannot reach ${endpoint}`);
    expect(check(report, 'credentials').message).toMatch(/connection refused/);
    expect(check(report, 'bucket').message).toMatch(/AWS credentials/);
    expect(report.ok).toBe(false);
  });

  it('gives up on an endpoint that accepts connections but never answers', async () => {
    const held: Socket[] = [];
    const silent = createServer((socket) => void held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    const port = (silent.address() as { port: number }).port;
    try {
      const report = await runDoctor(settings('any-bucket', `http://127.0.0.1:${port}`));
      expect(states(report)).toMatchObject({ credentials: 'failed', bucket: 'skipped', 'conditional-writes': 'skipped' });
      expect(check(report, 'credentials').message).toMatch(new RegExp(`Cannot reach http://127\\.0\\.0\\.1:${port} .*: it timed out`));
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('names a bucket that does not exist', async () => {
    const report = await runDoctor(settings('no-such-bucket-here', s3Endpoint()));
    expect(states(report)).toMatchObject({ credentials: 'ok', bucket: 'failed', list: 'skipped', write: 'skipped' });
    expect(check(report, 'bucket').message).toMatch(/The bucket no-such-bucket-here does not exist at http:\/\/127\.0\.0\.1:\d+/);
    expect(check(report, 'credentials').message).toMatch(/could not confirm them because the bucket is missing/);
  });

  it('reports access denied on write with the key and permission, while list still reports', async () => {
    const bucket = await freshBucket();
    proxy = await startFaultProxy(s3Endpoint(), { rules: [{ match: { kinds: ['put-object'] }, action: { kind: 'deny' } }] });
    const report = await runDoctor(settings(bucket, proxy.endpoint));
    expect(states(report)).toEqual({ config: 'ok', credentials: 'ok', bucket: 'ok', list: 'ok', write: 'failed', read: 'skipped', 'conditional-writes': 'skipped' });
    const write = check(report, 'write').message;
    expect(write).toMatch(new RegExp(`^Access denied writing s3://${bucket}/teams/emea/\\.ferry/probes/ana-[0-9a-f]+\\.txt: `));
    expect(write).toContain('lack s3:PutObject');
    expect(check(report, 'read').message).toMatch(/needs the "Write" check/);
  });

  it('reports access denied on listing but still checks write, read and conditional writes', async () => {
    const bucket = await freshBucket();
    proxy = await startFaultProxy(s3Endpoint(), { rules: [{ match: { kinds: ['list'] }, action: { kind: 'deny' } }] });
    const report = await runDoctor(settings(bucket, proxy.endpoint));
    expect(states(report)).toEqual({ config: 'ok', credentials: 'ok', bucket: 'ok', list: 'failed', write: 'ok', read: 'ok', 'conditional-writes': 'ok' });
    expect(check(report, 'list').message).toBe(`Access denied listing s3://${bucket}/teams/emea/: the current AWS credentials lack s3:ListBucket on bucket ${bucket} for this prefix.`);
    expect(report.ok).toBe(false);
  });

  it('reports access denied on reading the probe back', async () => {
    const bucket = await freshBucket();
    proxy = await startFaultProxy(s3Endpoint(), { rules: [{ match: { kinds: ['get-object'] }, action: { kind: 'deny' } }] });
    const report = await runDoctor(settings(bucket, proxy.endpoint));
    expect(states(report)).toEqual({ config: 'ok', credentials: 'ok', bucket: 'ok', list: 'ok', write: 'ok', read: 'failed', 'conditional-writes': 'ok' });
    expect(check(report, 'read').message).toMatch(/^Access denied reading s3:\/\/.+ lack s3:GetObject on this prefix\.$/);
    expect(await probesLeft(bucket)).toBe(0);
  });

  it('warns when the endpoint silently ignores conditional writes', async () => {
    const bucket = await freshBucket();
    proxy = await startFaultProxy(s3Endpoint(), { rules: [{ action: { kind: 'strip-conditional-headers' } }] });
    const report = await runDoctor(settings(bucket, proxy.endpoint));
    const conditional = check(report, 'conditional-writes');
    expect(states(report)).toMatchObject({ credentials: 'ok', bucket: 'ok', list: 'ok', write: 'ok', read: 'ok', 'conditional-writes': 'warning' });
    expect(conditional.ok).toBe(false);
    expect(conditional.message).toMatch(/ignored If-None-Match: \* and If-Match/);
    expect(conditional.message).toMatch(/two annotators could get the same batch/);
    expect(report.ok).toBe(false);
    // Ferry did send the headers; the proxy is what dropped them.
    expect(proxy.requests.some((r) => r.kind === 'put-object' && r.headers['if-none-match'] === '*')).toBe(true);
  });

  it('fails the config check for a missing workspace file and skips everything else', async () => {
    const report = await runDoctor(undefined, { path: '/nowhere/workspace.json', exists: false, config: {}, problems: [] });
    expect(states(report)).toEqual({ config: 'failed', credentials: 'skipped', bucket: 'skipped', list: 'skipped', write: 'skipped', read: 'skipped', 'conditional-writes': 'skipped' });
    expect(check(report, 'config').message).toContain('No workspace file at /nowhere/workspace.json');
    expect(report.endpoint).toBe('');
  });

  it('lists the problems of an invalid workspace file', async () => {
    const problems = ['bucket: this required field is missing', 'awsRegion: an AWS region such as eu-west-1'];
    const report = await runDoctor(undefined, { path: '/x/workspace.json', exists: true, config: {}, problems });
    expect(check(report, 'config').message).toBe(`The workspace settings in /x/workspace.json need fixing: ${problems.join('; ')}.`);
  });
});
