// Releasing and reassigning claims by compare-and-swap: a stale claim is freed (and can be claimed again), a claim that
// is alive or was renewed between Ferry's read and its write is left alone with an explanation, and every change leaves
// an immutable release record naming the former holder.
import { describe, expect, it } from 'vitest';
import { createBatches } from '../../../electron/batches/create-batches.ts';
import { claimNextBatch } from '../../../electron/claims/claim-batch.ts';
import { reassignClaim, releaseClaim } from '../../../electron/lead/claims.ts';
import { putIfMatch, getText } from '../../../electron/s3/objects.ts';
import { ferry } from '../../helpers/cli.ts';
import { startFaultProxy } from '../../helpers/s3-fault-proxy.ts';
import { freshBucket, s3Endpoint } from '../../helpers/s3-fixture.ts';
import { makeWorkspace } from '../../helpers/workspace-fixture.ts';
import { ferryError, items, leadWorkspace, makeProject, PROJECT, rawJson, rawKeys, rawPut, writeLines, type Lead } from './lead-kit.ts';

const HOUR = 3600 * 1000;
const iso = (msFromNow: number) => new Date(Date.now() + msFromNow).toISOString();

async function claimed(lead: Lead, claim: { claimedAt: string; leaseUntil: string; renewedAt?: string }, annotator = 'ana') {
  await makeProject(lead, { batchSize: 2 });
  const made = await createBatches(lead.target, { project: PROJECT, region: 'emea', poolFile: writeLines(lead.dir, 'pool.jsonl', items(4)), createdBy: 'lena' });
  const batch = made.created[0]!.batch;
  const key = `${lead.config.prefix}projects/${PROJECT}/claims/emea/${batch}.json`;
  const body = { kind: 'ferry.claim', version: 1, project: PROJECT, region: 'emea', batch, annotator, ...claim, appVersion: '0.1.0' };
  await rawPut(lead.config.bucket, key, JSON.stringify(body));
  return { batch, key, body, other: made.created[1]!.batch };
}

const input = (batch: string, extra: Record<string, unknown> = {}) => ({ project: PROJECT, region: 'emea', batch, actor: 'lena', appVersion: '0.1.0', ...extra });

describe('releasing a stale claim', () => {
  it('deletes it by CAS, writes a release record, and the batch can be claimed again', async () => {
    const lead = await leadWorkspace();
    const c = await claimed(lead, { claimedAt: iso(-200 * HOUR), leaseUntil: iso(-HOUR) });
    const change = await releaseClaim(lead.target, input(c.batch, { reason: 'ana is on leave' }));
    expect(change).toMatchObject({ action: 'release', formerHolder: 'ana', to: null, staleReasons: ['lease-expired', 'no-heartbeat'], forced: false });
    expect(await rawKeys(lead.config.bucket, `${lead.config.prefix}projects/${PROJECT}/claims/`)).toEqual([]);
    expect(change.recordKey).toMatch(new RegExp(`^${lead.config.prefix}projects/${PROJECT}/releases/emea/${c.batch}/\\d{8}T\\d{9}Z-ana\\.json$`));
    expect(await rawJson(lead.config.bucket, change.recordKey)).toEqual({
      kind: 'ferry.release',
      version: 1,
      project: PROJECT,
      region: 'emea',
      batch: c.batch,
      action: 'release',
      formerHolder: 'ana',
      formerClaim: { claimedAt: c.body.claimedAt, leaseUntil: c.body.leaseUntil, etag: expect.stringMatching(/^".+"$/) },
      releasedAt: expect.any(String),
      releasedBy: 'lena',
      reason: 'ana is on leave',
      forced: false,
    });
    const again = await claimNextBatch(lead.target, { annotator: 'bo', region: 'emea', project: PROJECT, appVersion: 't' });
    expect(again.manifest.batch).toBe(c.batch);
  });

  it('reassigns a stale claim to another annotator with a fresh lease', async () => {
    const lead = await leadWorkspace();
    const c = await claimed(lead, { claimedAt: iso(-48 * HOUR), leaseUntil: iso(100 * HOUR) });
    const change = await reassignClaim(lead.target, { ...input(c.batch), to: 'bo' });
    expect(change).toMatchObject({ action: 'reassign', formerHolder: 'ana', to: 'bo', staleReasons: ['no-heartbeat'] });
    const now = await rawJson<Record<string, string>>(lead.config.bucket, c.key);
    expect(now).toMatchObject({ kind: 'ferry.claim', annotator: 'bo', batch: c.batch });
    expect(Date.parse(now.leaseUntil!) - Date.parse(now.claimedAt!)).toBe(7 * 24 * HOUR);
    expect(await rawJson(lead.config.bucket, change.recordKey)).toMatchObject({ action: 'reassign', formerHolder: 'ana', to: 'bo' });
  });

  it("lands in the new holder's Get my batch before any fresh batch, once", async () => {
    const lead = await leadWorkspace();
    const c = await claimed(lead, { claimedAt: iso(-48 * HOUR), leaseUntil: iso(100 * HOUR) });
    await reassignClaim(lead.target, { ...input(c.batch), to: 'bo' });
    const bo = await makeWorkspace({ bucket: lead.config.bucket, prefix: lead.config.prefix, annotator: 'bo', region: 'emea' });
    try {
      const got = await bo.core.annotator.claimNext();
      expect(got).toMatchObject({ batch: c.batch, status: 'ready' }); // the reassigned one, not the unclaimed c.other
      const next = await bo.core.annotator.claimNext();
      expect(next.batch).toBe(c.other);
    } finally {
      await bo.core.close();
    }
  });
});

describe('refusing', () => {
  it('a claim renewed a moment ago: not stale, explained; --force releases it anyway', async () => {
    const lead = await leadWorkspace();
    const renewedAt = iso(-20_000);
    const c = await claimed(lead, { claimedAt: iso(-30 * HOUR), leaseUntil: iso(7 * 24 * HOUR), renewedAt });
    const error = await ferryError(releaseClaim(lead.target, input(c.batch)));
    expect(error.code).toBe('conflict');
    expect(error.message).toBe(`ana holds batch ${c.batch} and the claim is not stale: they renewed it 20 s ago (${renewedAt}), the lease runs until ${c.body.leaseUntil}. Ferry releases only stale claims (lease expired, or nothing heard for 24 h); pass --force to release it anyway.`);
    expect(await rawJson(lead.config.bucket, c.key)).toEqual(c.body);
    expect(await rawKeys(lead.config.bucket, `${lead.config.prefix}projects/${PROJECT}/releases/`)).toEqual([]);
    const forced = await releaseClaim(lead.target, input(c.batch, { force: true }));
    expect(forced).toMatchObject({ forced: true, staleReasons: [] });
  });

  it('a claim the holder renews between Ferry\'s read and its delete (the CAS race): nothing changes', async () => {
    const proxy = await startFaultProxy(s3Endpoint());
    try {
      const bucket = await freshBucket();
      const lead = await leadWorkspace({ bucket, endpoint: proxy.endpoint });
      const holder = await leadWorkspace({ bucket, annotator: 'ana' }); // ana's app, straight to S3
      const c = await claimed(lead, { claimedAt: iso(-200 * HOUR), leaseUntil: iso(-HOUR) });
      let renewed: () => void = () => undefined;
      const renewal = new Promise<void>((resolve) => (renewed = resolve));
      proxy.setRules([{ match: { kinds: ['delete-object'] }, action: { kind: 'hold', until: renewal } }]);
      const release = releaseClaim(lead.target, input(c.batch));
      await new Promise<void>((resolve) => {
        const t = setInterval(() => {
          if (proxy.requests.some((r) => r.kind === 'delete-object')) {
            clearInterval(t);
            resolve();
          }
        }, 5);
      });
      // ana's app renews by CAS on the ETag it holds, while the lead's delete is in flight.
      const { etag } = await getText(holder.target.client, bucket, c.key);
      const renewedBody = { ...c.body, renewedAt: iso(0), leaseUntil: iso(7 * 24 * HOUR) };
      await putIfMatch(holder.target.client, bucket, c.key, JSON.stringify(renewedBody), etag);
      renewed();
      const error = await ferryError(release);
      expect(error.code).toBe('conflict');
      expect(error.message).toBe(`ana renewed the claim at ${renewedBody.renewedAt} (lease now until ${renewedBody.leaseUntil}) after Ferry read it, so it was not released: their app is alive and working on it. Nothing was changed.`);
      expect(await rawJson(bucket, c.key)).toEqual(renewedBody);
      expect(await rawKeys(bucket, `${lead.config.prefix}projects/${PROJECT}/releases/`)).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });

  it('an unclaimed batch, a submitted batch, a retired batch, and reassigning to the holder', async () => {
    const lead = await leadWorkspace();
    const c = await claimed(lead, { claimedAt: iso(-200 * HOUR), leaseUntil: iso(-HOUR) });
    expect(await ferryError(releaseClaim(lead.target, input(c.other)))).toMatchObject({ code: 'not-found', message: `Batch ${c.other} of region emea is not claimed by anyone, so there is no claim to release (annotators can already get it).` });
    expect(await ferryError(reassignClaim(lead.target, { ...input(c.batch), to: 'ana' }))).toMatchObject({ code: 'invalid-request', message: `ana already holds batch ${c.batch}; there is nothing to reassign.` });
    const root = `${lead.config.prefix}projects/${PROJECT}/`;
    await rawPut(lead.config.bucket, `${root}submissions/emea/${c.batch}/ana.json`, '{}');
    expect(await ferryError(releaseClaim(lead.target, input(c.batch)))).toMatchObject({ code: 'conflict', message: `ana already submitted batch ${c.batch}; its claim stays so nobody annotates it again. Send it for rework in review instead.` });
    await rawPut(lead.config.bucket, `${root}claims/emea/${c.other}.json`, JSON.stringify({ kind: 'ferry.retired', version: 1, project: PROJECT, region: 'emea', batch: c.other, ledgerSeq: 3, retiredAt: '2025-03-01T00:00:00.000Z', retiredBy: 'lena', reason: 'rerank' }));
    expect(await ferryError(releaseClaim(lead.target, input(c.other, { force: true })))).toMatchObject({ code: 'conflict', message: `Batch ${c.other} was retired on 2025-03-01T00:00:00.000Z (rerank); a retired batch stays retired and cannot be released or reassigned.` });
  });
});

describe('ferry claims', () => {
  it('releases from the command line, and explains a refusal on stderr with exit 1', async () => {
    const lead = await leadWorkspace();
    const c = await claimed(lead, { claimedAt: iso(-2 * HOUR), leaseUntil: iso(100 * HOUR), renewedAt: iso(-5_000) });
    const refused = await ferry(['claims', 'release', '-c', lead.configPath, '--project', PROJECT, '--region', 'emea', '--batch', c.batch]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^ferry: ana holds batch .+ and the claim is not stale: they renewed it \d+ s ago/);
    const forced = await ferry(['claims', 'release', '-c', lead.configPath, '--project', PROJECT, '--region', 'emea', '--batch', c.batch, '--force', '--reason', 'laptop lost']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(`Released ${c.batch} from ana (forced: the claim was not stale); annotators of emea can claim it again.`);
    const missing = await ferry(['claims', 'reassign', '-c', lead.configPath, '--project', PROJECT, '--region', 'emea', '--batch', c.batch]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--to is required.');
  });
});
