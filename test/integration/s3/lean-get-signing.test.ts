// The lean GET's SigV4 signatures checked by a store that verifies them: a moto_server with IAM auth on, a user with
// real access keys, keys that need escaping, and keys S3 refuses (wrong secret, unknown key id).
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { HttpRequest } from '@smithy/core/protocols';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkspaceConfig } from '../../../shared/config.ts';
import { createS3Client } from '../../../electron/s3/client.ts';
import { downloadToFile } from '../../../electron/s3/download.ts';
import { startMoto, type MotoServer } from '../../helpers/moto.ts';
import { ferryError } from './s3-test-kit.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const BUCKET = 'strict-pull';
// moto's verifier refuses even the SDK's own signature once a key holds other escaped characters (+, ü, %, !, ;),
// so those keys are compared with the SDK's request in lean-get.test.ts instead.
const KEYS = ['raw/plain.jpg', 'raw/a b/c d.jpg', 'raw//double-slash.jpg'];

let moto: MotoServer;
let dir: string;
let keys: { id: string; secret: string };
const bodies = new Map<string, Buffer>();

// IAM's query API, signed with the SDK's own signer: moto has no IAM client among our dependencies.
async function iam(signer: S3Client, params: Record<string, string>): Promise<string> {
  const url = new URL(moto.endpoint);
  const body = new URLSearchParams({ ...params, Version: '2010-05-08' }).toString();
  const request = new HttpRequest({ method: 'POST', protocol: url.protocol, hostname: url.hostname, port: Number(url.port), path: '/', headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded' }, body });
  const signed = await (await signer.config.signer()).sign(request, { signingService: 'iam', signingRegion: 'us-east-1' });
  const response = await fetch(`${moto.endpoint}/`, { method: 'POST', headers: signed.headers, body });
  const text = await response.text();
  if (!response.ok) throw new Error(`IAM ${params.Action} failed: ${response.status} ${text}`);
  return text;
}

function config(): WorkspaceConfig {
  return { bucket: BUCKET, prefix: 'ws/', awsRegion: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true, annotator: 'ana', region: 'emea', dataDir: dir };
}

function pullClient(accessKeyId: string, secretAccessKey: string): S3Client {
  return createS3Client(config(), { verifiedByCaller: true, credentials: { accessKeyId, secretAccessKey }, maxAttempts: 2 });
}

beforeAll(async () => {
  // The first three requests (making the user, its keys and its policy) need no signature; every later one does.
  moto = await startMoto({ env: { INITIAL_NO_AUTH_ACTION_COUNT: '3' } });
  dir = await mkdtemp(join(tmpdir(), 'ferry-lean-sign-'));
  const bootstrap = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'bootstrap', secretAccessKey: 'bootstrap' } });
  await iam(bootstrap, { Action: 'CreateUser', UserName: 'annotator' });
  const made = await iam(bootstrap, { Action: 'CreateAccessKey', UserName: 'annotator' });
  keys = { id: /<AccessKeyId>([^<]+)</.exec(made)![1]!, secret: /<SecretAccessKey>([^<]+)</.exec(made)![1]! };
  const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] };
  await iam(bootstrap, { Action: 'PutUserPolicy', UserName: 'annotator', PolicyName: 'pull', PolicyDocument: JSON.stringify(policy) });
  const lead = new S3Client({ endpoint: moto.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: keys.id, secretAccessKey: keys.secret } });
  await lead.send(new CreateBucketCommand({ Bucket: BUCKET }));
  for (const key of KEYS) {
    const body = randomBytes(10_000 + bodies.size);
    await lead.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    bodies.set(key, body);
  }
});
afterAll(async () => {
  await moto?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('lean GET signatures, verified by the store', () => {
  it.each(KEYS)('signs %j so that S3 accepts it, and gets the right bytes', async (key) => {
    const body = bodies.get(key)!;
    const dest = join(dir, `${sha(Buffer.from(key))}.bin`);
    await downloadToFile(pullClient(keys.id, keys.secret), BUCKET, key, dest, { expectedSha256: sha(body), expectedSize: body.length });
    expect((await readFile(dest)).equals(body)).toBe(true);
  });

  it('signs a resumed (Range) request too', async () => {
    const key = KEYS[1]!;
    const body = bodies.get(key)!;
    const dest = join(dir, 'ranged.bin');
    await writeFile(`${dest}.part`, body.subarray(0, 4000));
    const result = await downloadToFile(pullClient(keys.id, keys.secret), BUCKET, key, dest, { expectedSha256: sha(body) });
    expect(result.resumedFrom).toBe(4000);
    expect((await readFile(dest)).equals(body)).toBe(true);
  });

  it('a wrong secret key is credentials-invalid, saying the secret is wrong', async () => {
    const error = await ferryError(downloadToFile(pullClient(keys.id, 'not-the-secret'), BUCKET, KEYS[0]!, join(dir, 'x'), { expectedSha256: '0'.repeat(64) }));
    expect(error.code).toBe('credentials-invalid');
    expect(error.message).toBe(
      `S3 rejected the current AWS credentials while reading s3://${BUCKET}/${KEYS[0]}: they have a wrong secret key (SignatureDoesNotMatch). Refresh them (e.g. \`aws sso login\`) or pick another profile in Settings.`,
    );
  });

  it('an access key the store does not know is credentials-invalid', async () => {
    const error = await ferryError(downloadToFile(pullClient('AKIDUNKNOWN', 'whatever'), BUCKET, KEYS[0]!, join(dir, 'y'), { expectedSha256: '0'.repeat(64) }));
    expect(error.code).toBe('credentials-invalid');
    expect(error.message).toContain('they are not known to the endpoint (InvalidAccessKeyId)');
  });
});
