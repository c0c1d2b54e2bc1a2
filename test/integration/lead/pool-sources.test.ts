// A project's pool: an S3 prefix of raw files (one task per file, by type) and JSONL/CSV task files in S3 or on disk.
// Refill lists a large prefix incrementally (only keys after the last one seen) and reports deleted files.
import { describe, expect, it } from 'vitest';
import { createBatches } from '../../../electron/batches/create-batches.ts';
import { refillBatches } from '../../../electron/batches/refill.ts';
import { countRequests } from '../../../electron/lead/request-counter.ts';
import { leadWorkspace, liveItemsOf, makeProject, PROJECT, rawDelete, rawPut, readBatches, sha256 } from './lead-kit.ts';

describe('a prefix of raw files', () => {
  it('makes one task per file by type: image, pdf, audio and video point at the file, text files are read in', async () => {
    const lead = await leadWorkspace();
    const { bucket } = lead.config;
    const files: Record<string, string> = { 'raw/img/a.JPG': 'jpeg bytes', 'raw/docs/b.pdf': 'pdf bytes', 'raw/audio/c.wav': 'wav bytes', 'raw/video/d.mp4': 'mp4 bytes', 'raw/text/e.txt': 'A customer wrote: great service.' };
    for (const [key, body] of Object.entries(files)) await rawPut(bucket, key, body);
    await makeProject(lead, { pool: { sources: [{ kind: 'files', uri: `s3://${bucket}/raw/` }] } });
    const result = await createBatches(lead.target, { project: PROJECT, region: 'emea', size: 10, createdBy: 'lena', index: lead.index });
    expect(result.created.map((c) => c.tasks)).toEqual([5]);
    const [batch] = await readBatches(lead);
    const byId = new Map(batch!.tasks.map((t) => [(t.meta as { task_id: string }).task_id, t]));
    expect(byId.get(`s3://${bucket}/raw/img/a.JPG`)).toMatchObject({ image: `s3://${bucket}/raw/img/a.JPG`, meta: { source_key: `s3://${bucket}/raw/img/a.JPG`, folder: 'img', ext: 'jpg', kind: 'image' } });
    expect(byId.get(`s3://${bucket}/raw/docs/b.pdf`)).toMatchObject({ pdf: `s3://${bucket}/raw/docs/b.pdf` });
    expect(byId.get(`s3://${bucket}/raw/audio/c.wav`)).toMatchObject({ audio: `s3://${bucket}/raw/audio/c.wav` });
    expect(byId.get(`s3://${bucket}/raw/video/d.mp4`)).toMatchObject({ video: `s3://${bucket}/raw/video/d.mp4` });
    expect(byId.get(`s3://${bucket}/raw/text/e.txt`)).toMatchObject({ text: 'A customer wrote: great service.', meta: { source_key: `s3://${bucket}/raw/text/e.txt` } });
    // Every pointed-at file is an asset with its SHA-256, so an annotator's pull can verify it.
    expect(batch!.manifest.assets.map((a) => [a.key, a.sha256]).sort()).toEqual(['raw/audio/c.wav', 'raw/docs/b.pdf', 'raw/img/a.JPG', 'raw/video/d.mp4'].map((k) => [`s3://${bucket}/${k}`, sha256(files[k]!)]).sort());
  });

  it('scores a file pool by S3 key (with or without s3://bucket/)', async () => {
    const lead = await leadWorkspace();
    const { bucket } = lead.config;
    for (const name of ['p1.png', 'p2.png', 'p3.png']) await rawPut(bucket, `scans/${name}`, name);
    await makeProject(lead, { pool: { sources: [{ kind: 'files', uri: `s3://${bucket}/scans/` }] } });
    const { writeLines } = await import('./lead-kit.ts');
    const scores = writeLines(lead.dir, 'scores.jsonl', [{ id: 'scans/p1.png', score: 0.9 }, { id: `s3://${bucket}/scans/p2.png`, score: 0.5 }, { id: 'scans/p3.png', score: 0.6 }]);
    await createBatches(lead.target, { project: PROJECT, region: 'emea', scoresFile: scores, size: 3, createdBy: 'lena' });
    const [batch] = await readBatches(lead);
    expect(batch!.manifest.items).toEqual(['p2.png', 'p3.png', 'p1.png'].map((n) => `s3://${bucket}/scans/${n}`));
  });
});

describe('task files in S3', () => {
  it('reads a CSV task file from S3: header columns, meta.* columns, quoted commas and line breaks', async () => {
    const lead = await leadWorkspace();
    const { bucket } = lead.config;
    const csv = 'id,text,meta.source\nr1,"Fast, friendly",web\nr2,"Line one\nline two",mail\nr3,"She said ""wow""",phone\n';
    await rawPut(bucket, 'tasks/round1.csv', csv);
    await makeProject(lead, { pool: { sources: [{ kind: 'tasks', uri: `s3://${bucket}/tasks/round1.csv` }] } });
    await createBatches(lead.target, { project: PROJECT, region: 'apac', size: 5, createdBy: 'lena' });
    const [batch] = await readBatches(lead);
    expect(batch!.tasks.map((t) => [t.text, (t.meta as { source: string }).source])).toEqual([['Fast, friendly', 'web'], ['Line one\nline two', 'mail'], ['She said "wow"', 'phone']]);
    expect(batch!.manifest.strategy).toMatchObject({ pool: { inputs: [{ kind: 'tasks', uri: `s3://${bucket}/tasks/round1.csv`, sha256: sha256(csv), items: 3 }] } });
  });

  it('names the file and line of a CSV row with the wrong number of fields', async () => {
    const lead = await leadWorkspace();
    const { bucket } = lead.config;
    await rawPut(bucket, 'tasks/bad.csv', 'id,text\nr1,fine\nr2,too,many\n');
    await makeProject(lead);
    const { ferryError } = await import('./lead-kit.ts');
    const error = await ferryError(createBatches(lead.target, { project: PROJECT, region: 'apac', poolFile: `s3://${bucket}/tasks/bad.csv`, createdBy: 'lena' }));
    expect(error.message).toBe(`The pool file s3://${bucket}/tasks/bad.csv has 1 bad line(s); no batch was created:\n  bad.csv line 3: 3 field(s), but the header has 2 (id, text)`);
  });
});

describe('refill over a growing prefix', () => {
  it('lists only new keys after the first run, and reports deleted files on a full re-listing', async () => {
    const lead = await leadWorkspace();
    const { bucket } = lead.config;
    const put = async (from: number, to: number) => {
      for (let i = from; i < to; i += 1) await rawPut(bucket, `stream/${String(i).padStart(4, '0')}.txt`, `text ${i}`);
    };
    await put(0, 30);
    await makeProject(lead, { pool: { sources: [{ kind: 'files', uri: `s3://${bucket}/stream/` }] }, batchSize: 5 });
    const first = await refillBatches(lead.target, { project: PROJECT, perRegion: 2, createdBy: 'lena', index: lead.index });
    expect(first.created).toHaveLength(4);
    expect(first.pool.inputs[0]).toMatchObject({ listedKeys: 30, fullScan: true, items: 30 });

    await put(30, 35);
    // Claim two emea batches behind Ferry's back, so emea needs two more.
    const emea = (await readBatches(lead)).filter((b) => b.region === 'emea');
    for (const b of emea) await rawPut(bucket, `${lead.config.prefix}projects/${PROJECT}/claims/emea/${b.batch}.json`, JSON.stringify({ kind: 'ferry.claim', version: 1, project: PROJECT, region: 'emea', batch: b.batch, annotator: 'ana', claimedAt: new Date().toISOString(), leaseUntil: new Date(Date.now() + 864e5).toISOString(), appVersion: 't' }));
    const { value: second, counts } = await countRequests(lead.target.client, () => refillBatches(lead.target, { project: PROJECT, perRegion: 2, createdBy: 'lena', index: lead.index }));
    expect(second.pool.inputs[0]).toMatchObject({ listedKeys: 5, fullScan: false, items: 35 });
    expect(second.regions).toEqual([
      { region: 'emea', unclaimedBefore: 0, created: 2, short: 0 },
      { region: 'apac', unclaimedBefore: 2, created: 0, short: 0 },
    ]);
    expect(counts.GetObjectCommand).toBe(11); // project.json and the ten text files of the two new batches; no manifest, no ledger entry re-read

    await rawDelete(bucket, 'stream/0034.txt');
    await rawDelete(bucket, 'stream/0033.txt');
    const third = await refillBatches(lead.target, { project: PROJECT, perRegion: 2, rescan: true, createdBy: 'lena', index: lead.index });
    expect(third.pool.deleted).toEqual(['stream/0033.txt', 'stream/0034.txt']);
    expect(third.notes).toContain(`2 file(s) were deleted from s3://${bucket}/stream/ since the last listing and left out of the pool: stream/0033.txt, stream/0034.txt.`);
    expect(third.pool.inputs[0]).toMatchObject({ listedKeys: 33, fullScan: true, items: 33 });
    liveItemsOf(await readBatches(lead));
  });
});
