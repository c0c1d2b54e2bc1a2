// Bad input to the lead's commands gets one clear error that counts and names every problem, and writes nothing:
// scores files with unknown ids, missing or out-of-range values and duplicates; pool prefixes that do not exist or hold
// only unsupported files; regions that are not in the project.
import { describe, expect, it } from 'vitest';
import { createBatches } from '../../../electron/batches/create-batches.ts';
import { refillBatches } from '../../../electron/batches/refill.ts';
import { rerankBatches } from '../../../electron/batches/rerank.ts';
import { checkPoolSources } from '../../../electron/batches/pool-check.ts';
import { releaseClaim } from '../../../electron/lead/claims.ts';
import { loadProgress } from '../../../electron/lead/progress.ts';
import { ferryError, items, leadWorkspace, makeProject, PROJECT, rawKeys, rawPut, writeLines, type Lead } from './lead-kit.ts';

async function onlyProjectInBucket(lead: Lead): Promise<void> {
  expect(await rawKeys(lead.config.bucket, `${lead.config.prefix}projects/`)).toEqual([`${lead.config.prefix}projects/${PROJECT}/project.json`]);
}

describe('a bad scores file', () => {
  it('counts and names unknown ids, out-of-range and missing values, duplicates and bad lines; nothing is written', async () => {
    const lead = await leadWorkspace();
    await makeProject(lead);
    const pool = writeLines(lead.dir, 'pool.jsonl', items(6));
    const scores = writeLines(lead.dir, 'scores.jsonl', [
      { id: 'doc-000', score: 0.4 },
      { id: 'doc-001', score: 0.2 },
      { id: 'ghost-1', score: 0.5 },
      { id: 'doc-002' },
      { id: 'ghost-2', score: 0.1 },
      { id: 'doc-003', score: 1.4 },
      { id: 'doc-004', scores: { POSITIVE: 0.7, NEGATIVE: -0.1 } },
      '{"id": "doc-005", "score": 0.3',
      { id: 'doc-001', score: 0.9 },
      { id: 'ghost-3', score: '0.5' },
      { score: 0.5 },
    ]);
    const error = await ferryError(createBatches(lead.target, { project: PROJECT, region: 'emea', poolFile: pool, scoresFile: scores, strategy: 'uncertainty', createdBy: 'lena' }));
    expect(error.code).toBe('malformed-input');
    expect(error.message).toBe(
      [
        `The scores file ${scores} has 8 problem(s); no batch was created:`,
        '  scores.jsonl: 2 unknown id(s) that match no pool item ("ghost-1", "ghost-2")',
        '  scores.jsonl line 4: id "doc-002" has no value: give "score": p or "scores": {"LABEL": p, …}',
        '  scores.jsonl line 6: score 1.4 is outside 0–1',
        '  scores.jsonl line 7: scores.NEGATIVE -0.1 is outside 0–1',
        `  scores.jsonl line 8: not valid JSON (${error.message.match(/line 8: not valid JSON \((.+)\)/)![1]})`,
        '  scores.jsonl line 10: score "0.5" is not a number',
        '  scores.jsonl line 11: no "id" (a pool item\'s id, meta.id, or its S3 key)',
        '  scores.jsonl: id "doc-001" appears on lines 2 and 9',
        'Fix the file, or pass --skip-bad-scores to leave these lines out.',
      ].join('\n'),
    );
    await onlyProjectInBucket(lead);
  });

  it('with --skip-bad-scores, ranks the good lines and reports what it left out', async () => {
    const lead = await leadWorkspace();
    await makeProject(lead);
    const pool = writeLines(lead.dir, 'pool.jsonl', items(3));
    const scores = writeLines(lead.dir, 'scores.jsonl', [{ id: 'doc-000', score: 0.9 }, { id: 'doc-001', score: 1.5 }, { id: 'doc-002', score: 0.5 }, { id: 'nope', score: 0.5 }]);
    const result = await createBatches(lead.target, { project: PROJECT, region: 'emea', poolFile: pool, scoresFile: scores, skipBadScores: true, size: 5, createdBy: 'lena' });
    expect(result.created.map((c) => c.tasks)).toEqual([2]);
    expect(result.unscored).toBe(1);
    expect(result.notes.join('\n')).toContain('scores.jsonl: 1 unknown id(s) that match no pool item ("nope"); scores.jsonl line 2: score 1.5 is outside 0–1');
  });

  it('a ranked rule without a scores file, an unknown rule, stratified without --by', async () => {
    const lead = await leadWorkspace();
    await makeProject(lead);
    const pool = writeLines(lead.dir, 'pool.jsonl', items(3));
    const base = { project: PROJECT, region: 'emea', poolFile: pool, createdBy: 'lena' };
    expect((await ferryError(createBatches(lead.target, { ...base, strategy: 'margin' }))).message).toMatch(/^The margin strategy ranks items by a model's scores: pass --scores FILE/);
    expect((await ferryError(createBatches(lead.target, { ...base, strategy: 'smartest' }))).message).toBe('Unknown strategy "smartest". Choose one of: sequential, random, uncertainty, margin, entropy, stratified.');
    expect((await ferryError(createBatches(lead.target, { ...base, strategy: 'stratified' }))).message).toBe('The stratified strategy needs --by META_FIELD (for example --by meta.source).');
    await onlyProjectInBucket(lead);
  });
});

describe('a bad pool prefix', () => {
  it('refuses a prefix that does not exist', async () => {
    const lead = await leadWorkspace();
    await makeProject(lead);
    const uri = `s3://${lead.config.bucket}/raw/nothing-here/`;
    const error = await ferryError(createBatches(lead.target, { project: PROJECT, region: 'emea', poolFile: uri, createdBy: 'lena' }));
    expect(error).toMatchObject({ code: 'not-found', message: `The pool prefix ${uri} holds no objects: it does not exist or is empty. Check the prefix (aws s3 ls ${uri}) or upload the raw files first.` });
    expect((await ferryError(checkPoolSources(lead.target, [{ kind: 'files', uri }]))).message).toBe(error.message);
    await onlyProjectInBucket(lead);
  });

  it('refuses a prefix of only unsupported files, listing them; skips and lists them among supported ones', async () => {
    const lead = await leadWorkspace();
    await makeProject(lead);
    const { bucket } = lead.config;
    for (const key of ['raw/a/notes.docx', 'raw/a/sheet.xlsx', 'raw/a/.DS_Store']) await rawPut(bucket, key, 'x');
    const uri = `s3://${bucket}/raw/a/`;
    const error = await ferryError(createBatches(lead.target, { project: PROJECT, region: 'emea', poolFile: uri, createdBy: 'lena' }));
    expect(error.code).toBe('malformed-input');
    expect(error.message).toMatch(new RegExp(`^The pool prefix ${uri.replace(/[/.]/g, '\\$&')} holds no files Ferry can make tasks from: 3 unsupported file\\(s\\) \\(raw/a/\\.DS_Store, raw/a/notes\\.docx, raw/a/sheet\\.xlsx\\)\\. Supported: \\.jpg `));
    await onlyProjectInBucket(lead);

    await rawPut(bucket, 'raw/a/scan.png', Buffer.from('png bytes'));
    const made = await createBatches(lead.target, { project: PROJECT, region: 'emea', poolFile: uri, createdBy: 'lena' });
    expect(made.created.map((c) => c.tasks)).toEqual([1]);
    expect(made.notes).toContain(`3 file(s) in ${uri} are not a type Ferry makes tasks of and were skipped: raw/a/.DS_Store, raw/a/notes.docx, raw/a/sheet.xlsx.`);
    const checks = await checkPoolSources(lead.target, [{ kind: 'files', uri }]);
    expect(checks).toEqual([{ uri, supported: 1, unsupported: ['raw/a/.DS_Store', 'raw/a/notes.docx', 'raw/a/sheet.xlsx'], complete: true }]);
  });
});

describe('a region that is not in the project', () => {
  it('is refused by create, refill, rerank, progress and claims release, naming the project\'s regions', async () => {
    const lead = await leadWorkspace();
    await makeProject(lead);
    const pool = writeLines(lead.dir, 'pool.jsonl', items(3));
    const scores = writeLines(lead.dir, 'scores.jsonl', [{ id: 'doc-000', score: 0.5 }]);
    const expected = { code: 'malformed-input', message: `Region "amer" is not part of project "${PROJECT}" (its regions: emea, apac).` };
    expect(await ferryError(createBatches(lead.target, { project: PROJECT, region: 'amer', poolFile: pool, createdBy: 'lena' }))).toMatchObject(expected);
    expect(await ferryError(refillBatches(lead.target, { project: PROJECT, perRegion: 2, regions: ['emea', 'amer'], poolFile: pool, createdBy: 'lena' }))).toMatchObject(expected);
    expect(await ferryError(rerankBatches(lead.target, { project: PROJECT, regions: ['amer'], scoresFile: scores, poolFile: pool, createdBy: 'lena' }))).toMatchObject(expected);
    expect(await ferryError(loadProgress(lead.target, { project: PROJECT, region: 'amer', index: lead.index }))).toMatchObject(expected);
    expect(await ferryError(releaseClaim(lead.target, { project: PROJECT, region: 'amer', batch: '000000-x', actor: 'lena', appVersion: 't' }))).toMatchObject(expected);
    await onlyProjectInBucket(lead);
  });
});
