// The S3 key layout is a public contract (docs/s3-layout.md): exact keys, id checks, parsing back, and cache-safety rules.
import { describe, expect, it } from 'vitest';
import * as L from '../../../shared/s3-layout.ts';

const P = 'teams/ferry/';
const SHA = 'ab'.repeat(32);

describe('keys', () => {
  it('builds every documented key under the workspace prefix', () => {
    expect(L.layoutMarkerKey(P)).toBe('teams/ferry/ferry.json');
    expect(L.layoutMarkerKey('')).toBe('ferry.json');
    expect(L.projectsPrefix(P)).toBe('teams/ferry/projects/');
    expect(L.projectKey(P, 'invoices')).toBe('teams/ferry/projects/invoices/project.json');
    expect(L.batchPrefix(P, 'invoices', 'emea')).toBe('teams/ferry/projects/invoices/batches/emea/');
    expect(L.batchFolder(P, 'invoices', 'emea', 'b-0001')).toBe('teams/ferry/projects/invoices/batches/emea/b-0001/');
    expect(L.batchManifestKey(P, 'invoices', 'emea', 'b-0001')).toBe('teams/ferry/projects/invoices/batches/emea/b-0001/batch.json');
    expect(L.batchTasksKey(P, 'invoices', 'emea', 'b-0001')).toBe('teams/ferry/projects/invoices/batches/emea/b-0001/tasks.jsonl');
    expect(L.claimsPrefix(P, 'invoices', 'emea')).toBe('teams/ferry/projects/invoices/claims/emea/');
    expect(L.claimKey(P, 'invoices', 'emea', 'b-0001')).toBe('teams/ferry/projects/invoices/claims/emea/b-0001.json');
    expect(L.resultsPrefix(P, 'invoices', 'emea')).toBe('teams/ferry/projects/invoices/results/emea/');
    expect(L.resultsPrefix(P, 'invoices', 'emea', 'b-0001', 'ana')).toBe('teams/ferry/projects/invoices/results/emea/b-0001/ana/');
    expect(L.resultChunkKey(P, 'invoices', 'emea', 'b-0001', 'ana', 7, SHA)).toBe(`teams/ferry/projects/invoices/results/emea/b-0001/ana/00000007-${SHA}.jsonl`);
    expect(L.submissionsPrefix(P, 'invoices', 'emea')).toBe('teams/ferry/projects/invoices/submissions/emea/');
    expect(L.submissionKey(P, 'invoices', 'emea', 'b-0001', 'ana')).toBe('teams/ferry/projects/invoices/submissions/emea/b-0001/ana.json');
    expect(L.reviewPrefix(P, 'invoices', 'emea', 'b-0001')).toBe('teams/ferry/projects/invoices/reviews/emea/b-0001/');
    expect(L.reviewChunkKey(P, 'invoices', 'emea', 'b-0001', 'rex', 0, SHA)).toBe(`teams/ferry/projects/invoices/reviews/emea/b-0001/rex/00000000-${SHA}.jsonl`);
    expect(L.datasetVersionKey(P, 'invoices', 'ner', 'v0003')).toBe('teams/ferry/projects/invoices/datasets/ner/versions/v0003/manifest.json');
    expect(L.datasetPartKey(P, 'invoices', 'ner', 'v0003', 'part-00000.jsonl')).toBe('teams/ferry/projects/invoices/datasets/ner/versions/v0003/part-00000.jsonl');
    expect(L.datasetLatestKey(P, 'invoices', 'ner')).toBe('teams/ferry/projects/invoices/datasets/ner/LATEST');
    expect(L.heartbeatKey(P, 'invoices', 'emea', 'ana')).toBe('teams/ferry/projects/invoices/heartbeats/emea/ana.json');
    expect(L.doctorProbeKey(P, 'ana', 'a1b2c3')).toBe('teams/ferry/.ferry/probes/ana-a1b2c3.txt');
  });

  it('sorts chunk keys in sequence order as plain strings', () => {
    const keys = [10, 9, 100, 0].map((n) => L.resultChunkKey(P, 'p', 'r', 'b', 'a', n, SHA));
    expect([...keys].sort().map((k) => L.parseResultChunkKey(P, k)?.seq)).toEqual([0, 9, 10, 100]);
  });

  it.each([
    ['batch', () => L.batchManifestKey(P, 'p', 'emea', '../etc'), 'Invalid batch id "../etc"'],
    ['project with slash', () => L.projectKey(P, 'a/b'), 'Invalid project id "a/b"'],
    ['region with space', () => L.claimKey(P, 'p', 'em ea', 'b'), 'Invalid region id "em ea"'],
    ['annotator empty', () => L.heartbeatKey(P, 'p', 'emea', ''), 'Invalid annotator id "": it is empty'],
    ['dot start', () => L.submissionKey(P, 'p', 'emea', '.hidden', 'ana'), 'Invalid batch id ".hidden"'],
    ['double dot inside', () => L.submissionKey(P, 'p', 'emea', 'a..b', 'ana'), 'Invalid batch id "a..b": it contains ".."'],
    ['too long', () => L.projectKey(P, 'x'.repeat(129)), 'longer than 128 characters'],
    ['bad sha', () => L.resultChunkKey(P, 'p', 'r', 'b', 'a', 1, 'XYZ'), 'Invalid SHA-256 "XYZ"'],
    ['negative seq', () => L.resultChunkKey(P, 'p', 'r', 'b', 'a', -1, SHA), 'Invalid chunk sequence number -1'],
    ['fractional seq', () => L.resultChunkKey(P, 'p', 'r', 'b', 'a', 1.5, SHA), 'Invalid chunk sequence number 1.5'],
    ['prefix without slash', () => L.projectKey('teams', 'p'), 'Invalid S3 prefix "teams": it must end with "/"'],
    ['prefix leading slash', () => L.projectKey('/teams/', 'p'), 'must not start with "/"'],
    ['prefix dot dot', () => L.projectKey('a/../', 'p'), 'has a ".." segment'],
    ['prefix empty segment', () => L.projectKey('a//', 'p'), 'empty segment'],
  ])('refuses a bad segment: %s', (_name, build, message) => {
    expect(build).toThrow(message);
    try {
      build();
    } catch (error) {
      expect(error).toMatchObject({ code: 'malformed-input' });
    }
  });

  it('accepts ids with dots, dashes and underscores', () => {
    expect(L.claimKey('', 'proj_1', 'apac-2', 'b.0001_x')).toBe('projects/proj_1/claims/apac-2/b.0001_x.json');
  });
});

describe('parsing listings', () => {
  it('round-trips every parseable key', () => {
    expect(L.parseProjectKey(P, L.projectKey(P, 'inv'))).toEqual({ project: 'inv' });
    expect(L.parseBatchKey(P, L.batchManifestKey(P, 'inv', 'emea', 'b1'))).toEqual({ project: 'inv', region: 'emea', batch: 'b1', file: 'batch.json' });
    expect(L.parseBatchKey(P, L.batchTasksKey(P, 'inv', 'emea', 'b1'))).toEqual({ project: 'inv', region: 'emea', batch: 'b1', file: 'tasks.jsonl' });
    expect(L.parseBatchFolder(P, L.batchFolder(P, 'inv', 'emea', 'b1'))).toEqual({ project: 'inv', region: 'emea', batch: 'b1' });
    expect(L.parseClaimKey(P, L.claimKey(P, 'inv', 'emea', 'b1'))).toEqual({ project: 'inv', region: 'emea', batch: 'b1' });
    expect(L.parseResultChunkKey(P, L.resultChunkKey(P, 'inv', 'emea', 'b1', 'ana', 42, SHA))).toEqual({ project: 'inv', region: 'emea', batch: 'b1', annotator: 'ana', seq: 42, sha256: SHA });
    expect(L.parseSubmissionKey(P, L.submissionKey(P, 'inv', 'emea', 'b1', 'ana'))).toEqual({ project: 'inv', region: 'emea', batch: 'b1', annotator: 'ana' });
    expect(L.parseHeartbeatKey(P, L.heartbeatKey(P, 'inv', 'emea', 'ana'))).toEqual({ project: 'inv', region: 'emea', annotator: 'ana' });
    expect(L.parseDatasetVersionKey(P, L.datasetVersionKey(P, 'inv', 'ner', 'v1'))).toEqual({ project: 'inv', dataset: 'ner', version: 'v1' });
  });

  it('returns null for keys of another kind, another prefix, or stray files', () => {
    expect(L.parseBatchKey(P, 'other/projects/inv/batches/emea/b1/batch.json')).toBeNull();
    expect(L.parseBatchKey(P, `${P}projects/inv/batches/emea/b1/notes.txt`)).toBeNull();
    expect(L.parseBatchKey(P, `${P}projects/inv/batches/emea/b1/sub/batch.json`)).toBeNull();
    expect(L.parseBatchKey(P, L.claimKey(P, 'inv', 'emea', 'b1'))).toBeNull();
    expect(L.parseClaimKey(P, `${P}projects/inv/claims/emea/b1.txt`)).toBeNull();
    expect(L.parseClaimKey(P, `${P}projects/inv/claims/emea/.json`)).toBeNull();
    expect(L.parseResultChunkKey(P, `${P}projects/inv/results/emea/b1/ana/7-${SHA}.jsonl`)).toBeNull();
    expect(L.parseResultChunkKey(P, `${P}projects/inv/results/emea/b1/ana/00000007-nothex.jsonl`)).toBeNull();
    expect(L.parseBatchFolder(P, `${P}projects/inv/batches/emea/b1`)).toBeNull();
    expect(L.parseProjectKey(P, `${P}projects/../project.json`)).toBeNull();
  });
});

describe('unsafeKeyReason', () => {
  it('accepts ordinary relative keys', () => {
    for (const key of ['a.jpg', 'assets/2024/img 01.png', 'x/y/z.tar.gz', 'ünïcode/名前.txt']) expect(L.unsafeKeyReason(key)).toBeNull();
  });

  it.each([
    ['', 'empty'],
    ['../up.txt', '".." segment'],
    ['a/../../b', '".." segment'],
    ['a/./b', '"." segment'],
    ['/etc/passwd', 'absolute path'],
    ['C:/x.txt', 'drive letter'],
    ['c:x.txt', 'drive letter'],
    ['a\\b.txt', 'backslash'],
    ['a\u0000b', 'NUL'],
    ['a\nb', 'control character'],
    ['a//b', 'empty segment'],
    ['folder/', 'names a folder'],
    ['a/b:c', 'contains ":"'],
    ['aux.txt', 'reserved device name'],
    ['a/NUL', 'reserved device name'],
    ['a/b.', 'ends with "." or a space'],
    ['x'.repeat(256), 'longer than 255'],
  ])('refuses %j: %s', (key, reason) => {
    expect(L.unsafeKeyReason(key)).toContain(reason);
  });

  it('keyBelow strips a prefix only when the key is under it', () => {
    expect(L.keyBelow('ws/b1/', 'ws/b1/assets/a.jpg')).toBe('assets/a.jpg');
    expect(L.keyBelow('ws/b1/', 'ws/b2/a.jpg')).toBeNull();
  });
});

describe('docs/s3-layout.md', () => {
  it('documents every key the code builds', async () => {
    const { readFile } = await import('node:fs/promises');
    const doc = await readFile(new URL('../../../docs/s3-layout.md', import.meta.url), 'utf8');
    const chunk = (key: string) => key.replace(/\d{8}-[0-9a-f]{64}/, 'SEQ-SHA256');
    const keys = [
      L.layoutMarkerKey(''),
      L.projectKey('', 'P'),
      L.batchManifestKey('', 'P', 'R', 'B'),
      L.batchTasksKey('', 'P', 'R', 'B'),
      L.claimKey('', 'P', 'R', 'B'),
      chunk(L.resultChunkKey('', 'P', 'R', 'B', 'A', 1, SHA)),
      L.submissionKey('', 'P', 'R', 'B', 'A'),
      chunk(L.reviewChunkKey('', 'P', 'R', 'B', 'REVIEWER', 1, SHA)),
      L.datasetVersionKey('', 'P', 'D', 'V'),
      L.datasetPartKey('', 'P', 'D', 'V', 'PART'),
      L.datasetLatestKey('', 'P', 'D'),
      L.heartbeatKey('', 'P', 'R', 'A'),
      L.doctorProbeKey('', 'A', 'NONCE'),
    ];
    for (const key of keys) expect(doc, key).toContain(`| \`${key}\` |`);
  });
});
