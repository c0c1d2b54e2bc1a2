// `doctor` / "Test connection": checks settings, credentials and every S3 permission Ferry needs, item by item.
import { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import type { ConfigView, DoctorCheck, DoctorCheckId, DoctorReport } from '../../shared/api.ts';
import { WorkspaceConfigSchema, describeConfigIssues, type WorkspaceConfig } from '../../shared/config.ts';
import { assertPrefix, doctorProbeKey } from '../../shared/s3-layout.ts';
import { createS3Client, credentialProviderFor, endpointOf } from '../s3/client.ts';
import { classifyS3Error } from '../s3/errors.ts';
import { isPreconditionFailed, s3Failure } from '../s3/failure.ts';
import { describeCredentialSource, type ResolvedIdentity } from './credential-source.ts';

const LABELS: Record<DoctorCheckId, string> = {
  config: 'Workspace settings',
  credentials: 'AWS credentials',
  bucket: 'Bucket',
  list: 'List objects',
  write: 'Write',
  read: 'Read',
  'conditional-writes': 'Conditional writes',
};
const ORDER: readonly DoctorCheckId[] = ['config', 'credentials', 'bucket', 'list', 'write', 'read', 'conditional-writes'];

// Short limits and a single attempt: with the endpoint down the whole report must come back in a few seconds.
const PROBE_CLIENT = { maxAttempts: 1, connectionTimeoutMs: 2_000, idleTimeoutMs: 3_000, requestTimeoutMs: 4_000, maxSockets: 4 } as const;

function pass(id: DoctorCheckId, message: string): DoctorCheck {
  return { id, label: LABELS[id], ok: true, message };
}
function fail(id: DoctorCheckId, message: string, warning = false): DoctorCheck {
  return warning ? { id, label: LABELS[id], ok: false, warning: true, message } : { id, label: LABELS[id], ok: false, message };
}
function skip(id: DoctorCheckId, because: DoctorCheckId): DoctorCheck {
  return { id, label: LABELS[id], ok: false, skipped: true, message: `Skipped: needs the "${LABELS[because]}" check to pass first.` };
}
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function checkConfig(config: WorkspaceConfig | undefined, view: ConfigView | undefined): { check: DoctorCheck; config?: WorkspaceConfig } {
  if (config === undefined) {
    if (view && !view.exists) return { check: fail('config', `No workspace file at ${view.path}. Create one with \`ferry init\` or the Settings screen, or pass --config FILE.`) };
    const problems = view?.problems.length ? view.problems.join('; ') : 'no settings were given';
    return { check: fail('config', `The workspace settings${view ? ` in ${view.path}` : ''} need fixing: ${problems}.`) };
  }
  const parsed = WorkspaceConfigSchema.safeParse(config);
  if (!parsed.success) return { check: fail('config', `The workspace settings need fixing: ${describeConfigIssues(parsed.error).join('; ')}.`) };
  const c = parsed.data;
  try {
    assertPrefix(c.prefix);
  } catch (error) {
    return { check: fail('config', messageOf(error)) };
  }
  const where = `s3://${c.bucket}/${c.prefix}`;
  return { check: pass('config', `Settings are valid: ${where} at ${endpointOf(c)}, annotator ${c.annotator} in region ${c.region}.`), config: c };
}

type Probe = { readonly client: S3Client; readonly config: WorkspaceConfig };

// Resolves credentials locally, then sends one signed request: only the endpoint can say whether they are valid.
async function checkCredentials(config: WorkspaceConfig): Promise<{ check: DoctorCheck; probe?: Probe }> {
  let identity: ResolvedIdentity;
  try {
    identity = (await credentialProviderFor(config)()) as ResolvedIdentity;
  } catch (error) {
    const ferr = classifyS3Error(error, { op: 'credentials', bucket: config.bucket, ...(config.profile ? { profile: config.profile } : {}) });
    return { check: fail('credentials', ferr.code === 'credentials-missing' ? ferr.message : `Could not load AWS credentials: ${ferr.message}`) };
  }
  const source = describeCredentialSource(identity, config);
  const client = createS3Client(config, { ...PROBE_CLIENT, credentials: identity as never });
  let verdict = 'S3 accepted them';
  try {
    await client.send(new ListObjectsV2Command({ Bucket: config.bucket, MaxKeys: 1 }));
  } catch (error) {
    const ferr = s3Failure(client, error, 'ListObjectsV2', config.bucket);
    // AccessDenied still means S3 accepted the signature; a missing bucket means it could not say. Later checks report both.
    if (ferr.code === 'bucket-missing') verdict = 'S3 could not confirm them because the bucket is missing';
    else if (ferr.code !== 'access-denied') {
      client.destroy();
      return { check: fail('credentials', ferr.message) };
    }
  }
  return { check: pass('credentials', `Using credentials from ${source}; ${verdict}.`), probe: { client, config } };
}

async function checkBucket({ client, config }: Probe): Promise<DoctorCheck> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: config.bucket }));
    return pass('bucket', `The bucket ${config.bucket} exists at ${endpointOf(config)}.`);
  } catch (error) {
    return fail('bucket', s3Failure(client, error, 'HeadBucket', config.bucket).message);
  }
}

async function checkList({ client, config }: Probe): Promise<DoctorCheck> {
  try {
    await client.send(new ListObjectsV2Command({ Bucket: config.bucket, Prefix: config.prefix, MaxKeys: 1 }));
    return pass('list', `Listing s3://${config.bucket}/${config.prefix} works.`);
  } catch (error) {
    return fail('list', s3Failure(client, error, 'ListObjectsV2', config.bucket, config.prefix).message);
  }
}

async function checkWrite({ client, config }: Probe, key: string, body: string): Promise<DoctorCheck> {
  try {
    await client.send(new PutObjectCommand({ Bucket: config.bucket, Key: key, Body: body, IfNoneMatch: '*', ContentType: 'text/plain' }));
    return pass('write', `Wrote a test object s3://${config.bucket}/${key}.`);
  } catch (error) {
    return fail('write', s3Failure(client, error, 'PutObject', config.bucket, key).message);
  }
}

async function checkRead({ client, config }: Probe, key: string, body: string): Promise<DoctorCheck> {
  try {
    const r = await client.send(new GetObjectCommand({ Bucket: config.bucket, Key: key }));
    const text = (await r.Body?.transformToString('utf-8')) ?? '';
    if (text !== body) return fail('read', `Read s3://${config.bucket}/${key} back but its contents differ from what was written (${text.length} bytes instead of ${body.length}); something between Ferry and S3 alters objects.`);
    return pass('read', `Read the test object back; its contents match.`);
  } catch (error) {
    return fail('read', s3Failure(client, error, 'GetObject', config.bucket, key).message);
  }
}

// Claims and pointer updates rely on S3 refusing a conditional write; an endpoint that ignores the headers breaks that silently.
async function checkConditionalWrites({ client, config }: Probe, key: string, body: string): Promise<DoctorCheck> {
  const ignored: string[] = [];
  for (const [header, extra] of [
    ['If-None-Match: *', { IfNoneMatch: '*' }],
    ['If-Match', { IfMatch: '"00000000000000000000000000000000"' }],
  ] as const) {
    try {
      await client.send(new PutObjectCommand({ Bucket: config.bucket, Key: key, Body: body, ContentType: 'text/plain', ...extra }));
      ignored.push(header);
    } catch (error) {
      if (!isPreconditionFailed(error)) return fail('conditional-writes', s3Failure(client, error, 'PutObject', config.bucket, key).message);
    }
  }
  if (ignored.length === 0) return pass('conditional-writes', 'The endpoint refuses conditional writes that should fail (If-None-Match and If-Match), so batch claims are safe.');
  return fail(
    'conditional-writes',
    `${endpointOf(config)} ignored ${ignored.join(' and ')}: a write that must fail succeeded. Batch claims depend on it, so two annotators could get the same batch and pointer updates could overwrite each other. Use Amazon S3 or a store that supports conditional writes.`,
    true,
  );
}

async function removeProbe({ client, config }: Probe, key: string): Promise<string | null> {
  try {
    await client.send(new DeleteObjectCommand({ Bucket: config.bucket, Key: key }));
    return null;
  } catch (error) {
    return messageOf(s3Failure(client, error, 'DeleteObject', config.bucket, key));
  }
}

export async function runDoctor(config: WorkspaceConfig | undefined, view?: ConfigView): Promise<DoctorReport> {
  const results = new Map<DoctorCheckId, DoctorCheck>();
  const configured = checkConfig(config, view);
  results.set('config', configured.check);
  const settings = configured.config;
  if (settings) await runS3Checks(settings, results);
  const checks = ORDER.map((id) => results.get(id) ?? skip(id, firstFailure(results)));
  return { ok: checks.every((c) => c.skipped || c.ok), checks, endpoint: settings ? endpointOf(settings) : '' };
}

// The check a skipped one is waiting for: the last one that ran and failed.
function firstFailure(results: Map<DoctorCheckId, DoctorCheck>): DoctorCheckId {
  const failed = ORDER.filter((id) => results.get(id)?.ok === false && !results.get(id)?.skipped);
  return failed[failed.length - 1] ?? 'config';
}

// Each check runs only if the ones it needs passed; the rest are left for runDoctor to mark skipped.
async function runS3Checks(settings: WorkspaceConfig, results: Map<DoctorCheckId, DoctorCheck>): Promise<void> {
  const credentials = await checkCredentials(settings);
  results.set('credentials', credentials.check);
  const probe = credentials.probe;
  if (!probe) return;
  try {
    const bucket = await checkBucket(probe);
    results.set('bucket', bucket);
    if (!bucket.ok) return;
    results.set('list', await checkList(probe));
    const key = doctorProbeKey(settings.prefix, settings.annotator, randomBytes(6).toString('hex'));
    const body = `Ferry connection test by ${settings.annotator} at ${new Date().toISOString()}; safe to delete.\n`;
    const write = await checkWrite(probe, key, body);
    results.set('write', write);
    if (!write.ok) return;
    results.set('read', await checkRead(probe, key, body));
    results.set('conditional-writes', await checkConditionalWrites(probe, key, body));
    const leftover = await removeProbe(probe, key);
    if (leftover) results.set('write', { ...write, message: `${write.message} It could not be removed afterwards: ${leftover}` });
  } finally {
    probe.client.destroy();
  }
}
