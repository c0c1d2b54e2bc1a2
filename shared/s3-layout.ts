// The ONLY place S3 keys are built or parsed. docs/s3-layout.md is the public contract this file implements.
import { FerryError } from './result.ts';

export const LAYOUT_VERSION = 1;

export type IdKind = 'project' | 'region' | 'batch' | 'annotator' | 'reviewer' | 'dataset' | 'version' | 'part' | 'nonce';

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const ID_MAX_LENGTH = 128;
const SHA256_PATTERN = /^[0-9a-f]{64}$/;
// Sequence numbers are zero-padded so a plain S3 listing returns chunks in order.
const SEQ_DIGITS = 8;
const SEQ_MAX = 10 ** SEQ_DIGITS - 1;

// Why an id is unusable as one key segment, or null when it is fine.
export function idProblem(value: string): string | null {
  if (value.length === 0) return 'it is empty';
  if (value.length > ID_MAX_LENGTH) return `it is longer than ${ID_MAX_LENGTH} characters`;
  if (value.includes('..')) return 'it contains ".."';
  if (!ID_PATTERN.test(value)) return 'use letters, digits, ".", "_" or "-", starting with a letter or digit (no "/", spaces or other characters)';
  return null;
}

export function assertId(kind: IdKind, value: string): string {
  const problem = typeof value === 'string' ? idProblem(value) : 'it is not a string';
  if (problem !== null) throw new FerryError('malformed-input', `Invalid ${kind} id ${JSON.stringify(value)}: ${problem}.`);
  return value;
}

// The workspace prefix: "" or "a/b/" — never a leading "/", never an empty or dot segment.
export function assertPrefix(prefix: string): string {
  if (prefix === '') return prefix;
  const bad = (why: string): never => {
    throw new FerryError('malformed-input', `Invalid S3 prefix ${JSON.stringify(prefix)}: ${why}.`);
  };
  if (!prefix.endsWith('/')) bad('it must end with "/" (for example "teams/ferry/")');
  if (prefix.startsWith('/')) bad('it must not start with "/"');
  for (const segment of prefix.slice(0, -1).split('/')) {
    if (segment === '') bad('it has an empty segment ("//")');
    if (segment === '.' || segment === '..') bad(`it has a "${segment}" segment`);
    if (segment.includes('\\') || hasControlCharacter(segment)) bad('it contains a backslash or a control character');
  }
  return prefix;
}

function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function assertSha256(value: string): string {
  if (!SHA256_PATTERN.test(value)) throw new FerryError('malformed-input', `Invalid SHA-256 ${JSON.stringify(value)}: expected 64 lower-case hex digits.`);
  return value;
}

function formatSeq(seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 0 || seq > SEQ_MAX) {
    throw new FerryError('malformed-input', `Invalid chunk sequence number ${seq}: expected a whole number from 0 to ${SEQ_MAX}.`);
  }
  return String(seq).padStart(SEQ_DIGITS, '0');
}

function projectRoot(prefix: string, project: string): string {
  return `${assertPrefix(prefix)}projects/${assertId('project', project)}/`;
}

// ---- workspace ----
export function layoutMarkerKey(prefix: string): string {
  return `${assertPrefix(prefix)}ferry.json`;
}
export function projectsPrefix(prefix: string): string {
  return `${assertPrefix(prefix)}projects/`;
}
export function projectKey(prefix: string, project: string): string {
  return `${projectRoot(prefix, project)}project.json`;
}
export function doctorProbesPrefix(prefix: string): string {
  return `${assertPrefix(prefix)}.ferry/probes/`;
}
export function doctorProbeKey(prefix: string, annotator: string, nonce: string): string {
  return `${doctorProbesPrefix(prefix)}${assertId('annotator', annotator)}-${assertId('nonce', nonce)}.txt`;
}

// ---- batches ----
export function batchPrefix(prefix: string, project: string, region: string): string {
  return `${projectRoot(prefix, project)}batches/${assertId('region', region)}/`;
}
export function batchFolder(prefix: string, project: string, region: string, batch: string): string {
  return `${batchPrefix(prefix, project, region)}${assertId('batch', batch)}/`;
}
export function batchManifestKey(prefix: string, project: string, region: string, batch: string): string {
  return `${batchFolder(prefix, project, region, batch)}batch.json`;
}
export function batchTasksKey(prefix: string, project: string, region: string, batch: string): string {
  return `${batchFolder(prefix, project, region, batch)}tasks.jsonl`;
}

// ---- claims (CAS pointers) ----
export function claimsPrefix(prefix: string, project: string, region: string): string {
  return `${projectRoot(prefix, project)}claims/${assertId('region', region)}/`;
}
export function claimKey(prefix: string, project: string, region: string, batch: string): string {
  return `${claimsPrefix(prefix, project, region)}${assertId('batch', batch)}.json`;
}

// ---- results (immutable, content-addressed chunks) ----
export function resultsPrefix(prefix: string, project: string, region: string, batch?: string, annotator?: string): string {
  let key = `${projectRoot(prefix, project)}results/${assertId('region', region)}/`;
  if (batch !== undefined) key += `${assertId('batch', batch)}/`;
  if (annotator !== undefined) {
    if (batch === undefined) throw new FerryError('malformed-input', 'A results prefix for an annotator needs a batch too.');
    key += `${assertId('annotator', annotator)}/`;
  }
  return key;
}
export function resultChunkKey(prefix: string, project: string, region: string, batch: string, annotator: string, seq: number, sha256: string): string {
  return `${resultsPrefix(prefix, project, region, batch, annotator)}${formatSeq(seq)}-${assertSha256(sha256)}.jsonl`;
}

// ---- submissions (immutable "done" records) ----
export function submissionsPrefix(prefix: string, project: string, region: string, batch?: string): string {
  const base = `${projectRoot(prefix, project)}submissions/${assertId('region', region)}/`;
  return batch === undefined ? base : `${base}${assertId('batch', batch)}/`;
}
export function submissionKey(prefix: string, project: string, region: string, batch: string, annotator: string): string {
  return `${submissionsPrefix(prefix, project, region, batch)}${assertId('annotator', annotator)}.json`;
}

// ---- reviews (immutable verdict chunks, same rule as results) ----
export function reviewPrefix(prefix: string, project: string, region: string, batch?: string): string {
  const base = `${projectRoot(prefix, project)}reviews/${assertId('region', region)}/`;
  return batch === undefined ? base : `${base}${assertId('batch', batch)}/`;
}
export function reviewChunkKey(prefix: string, project: string, region: string, batch: string, reviewer: string, seq: number, sha256: string): string {
  return `${reviewPrefix(prefix, project, region, batch)}${assertId('reviewer', reviewer)}/${formatSeq(seq)}-${assertSha256(sha256)}.jsonl`;
}

// ---- datasets (immutable versions + one CAS pointer) ----
export function datasetsPrefix(prefix: string, project: string): string {
  return `${projectRoot(prefix, project)}datasets/`;
}
export function datasetVersionPrefix(prefix: string, project: string, dataset: string, version: string): string {
  return `${datasetsPrefix(prefix, project)}${assertId('dataset', dataset)}/versions/${assertId('version', version)}/`;
}
export function datasetVersionKey(prefix: string, project: string, dataset: string, version: string): string {
  return `${datasetVersionPrefix(prefix, project, dataset, version)}manifest.json`;
}
export function datasetPartKey(prefix: string, project: string, dataset: string, version: string, part: string): string {
  return `${datasetVersionPrefix(prefix, project, dataset, version)}${assertId('part', part)}`;
}
export function datasetLatestKey(prefix: string, project: string, dataset: string): string {
  return `${datasetsPrefix(prefix, project)}${assertId('dataset', dataset)}/LATEST`;
}

// ---- heartbeats (each annotator overwrites only their own) ----
export function heartbeatsPrefix(prefix: string, project: string, region: string): string {
  return `${projectRoot(prefix, project)}heartbeats/${assertId('region', region)}/`;
}
export function heartbeatKey(prefix: string, project: string, region: string, annotator: string): string {
  return `${heartbeatsPrefix(prefix, project, region)}${assertId('annotator', annotator)}.json`;
}

// ---- the lead's records: project root, the batch ledger, release records and review verdicts ----
export function projectPrefix(prefix: string, project: string): string {
  return projectRoot(prefix, project);
}
export function batchesRootPrefix(prefix: string, project: string): string {
  return `${projectRoot(prefix, project)}batches/`;
}
// The ledger: one create-once entry per batch-creating run, numbered; taking the next number serialises creators.
export function ledgerPrefix(prefix: string, project: string): string {
  return `${projectRoot(prefix, project)}ledger/`;
}
export function ledgerEntryKey(prefix: string, project: string, seq: number): string {
  return `${ledgerPrefix(prefix, project)}${formatSeq(seq)}.json`;
}
export const VERDICTS = ['accepted', 'rework'] as const;
export type Verdict = (typeof VERDICTS)[number];
// A reviewer's decision on a whole batch, in the key itself so a listing shows it.
export function verdictKey(prefix: string, project: string, region: string, batch: string, verdict: Verdict): string {
  if (!VERDICTS.includes(verdict)) throw new FerryError('malformed-input', `Invalid verdict ${JSON.stringify(verdict)}: expected ${VERDICTS.join(' or ')}.`);
  return `${reviewPrefix(prefix, project, region, batch)}verdict.${verdict}.json`;
}
export function releasesPrefix(prefix: string, project: string, region: string, batch?: string): string {
  const base = `${projectRoot(prefix, project)}releases/${assertId('region', region)}/`;
  return batch === undefined ? base : `${base}${assertId('batch', batch)}/`;
}
// Compact UTC time for key segments: 2025-03-01T09:00:00.123Z -> 20250301T090000123Z (sorts as text).
export function keyStamp(date: Date): string {
  return date.toISOString().replace(/[-:.]/g, '');
}
export function releaseRecordKey(prefix: string, project: string, region: string, batch: string, releasedAt: Date, formerHolder: string): string {
  return `${releasesPrefix(prefix, project, region, batch)}${keyStamp(releasedAt)}-${assertId('annotator', formerHolder)}.json`;
}

// ---- parsing listings back into ids (null when a key is not of that kind, e.g. a stray upload) ----
function segmentsAfter(prefix: string, key: string, root: string): string[] | null {
  const head = `${assertPrefix(prefix)}${root}`;
  if (!key.startsWith(head)) return null;
  const segments = key.slice(head.length).split('/');
  return segments;
}
function ids(...values: string[]): boolean {
  return values.every((v) => idProblem(v) === null);
}
function stripSuffix(value: string | undefined, suffix: string): string | null {
  return value !== undefined && value.endsWith(suffix) && value.length > suffix.length ? value.slice(0, -suffix.length) : null;
}

export type BatchRef = { readonly project: string; readonly region: string; readonly batch: string };

export function parseProjectKey(prefix: string, key: string): { readonly project: string } | null {
  const s = segmentsAfter(prefix, key, 'projects/');
  if (s?.length !== 2 || s[1] !== 'project.json' || !ids(s[0]!)) return null;
  return { project: s[0]! };
}

export function parseBatchKey(prefix: string, key: string): (BatchRef & { readonly file: 'batch.json' | 'tasks.jsonl' }) | null {
  const s = segmentsAfter(prefix, key, 'projects/');
  if (s?.length !== 5 || s[1] !== 'batches') return null;
  const [project, , region, batch, file] = s as [string, string, string, string, string];
  if (!ids(project, region, batch) || (file !== 'batch.json' && file !== 'tasks.jsonl')) return null;
  return { project, region, batch, file };
}

// For delimiter listings of batchPrefix(): a common prefix such as ".../batches/emea/b-0001/".
export function parseBatchFolder(prefix: string, folder: string): BatchRef | null {
  const s = segmentsAfter(prefix, folder, 'projects/');
  if (s?.length !== 5 || s[1] !== 'batches' || s[4] !== '') return null;
  const [project, , region, batch] = s as [string, string, string, string];
  return ids(project, region, batch) ? { project, region, batch } : null;
}

export function parseClaimKey(prefix: string, key: string): BatchRef | null {
  const s = segmentsAfter(prefix, key, 'projects/');
  if (s?.length !== 4 || s[1] !== 'claims') return null;
  const [project, , region] = s as [string, string, string];
  const batch = stripSuffix(s[3], '.json');
  return batch !== null && ids(project, region, batch) ? { project, region, batch } : null;
}

export type ChunkRef = BatchRef & { readonly annotator: string; readonly seq: number; readonly sha256: string };

export function parseResultChunkKey(prefix: string, key: string): ChunkRef | null {
  const s = segmentsAfter(prefix, key, 'projects/');
  if (s?.length !== 6 || s[1] !== 'results') return null;
  const [project, , region, batch, annotator, file] = s as [string, string, string, string, string, string];
  const m = /^(\d{8,})-([0-9a-f]{64})\.jsonl$/.exec(file);
  if (!m || !ids(project, region, batch, annotator)) return null;
  return { project, region, batch, annotator, seq: Number(m[1]), sha256: m[2]! };
}

export function parseSubmissionKey(prefix: string, key: string): (BatchRef & { readonly annotator: string }) | null {
  const s = segmentsAfter(prefix, key, 'projects/');
  if (s?.length !== 5 || s[1] !== 'submissions') return null;
  const [project, , region, batch] = s as [string, string, string, string];
  const annotator = stripSuffix(s[4], '.json');
  return annotator !== null && ids(project, region, batch, annotator) ? { project, region, batch, annotator } : null;
}

export function parseHeartbeatKey(prefix: string, key: string): { readonly project: string; readonly region: string; readonly annotator: string } | null {
  const s = segmentsAfter(prefix, key, 'projects/');
  if (s?.length !== 4 || s[1] !== 'heartbeats') return null;
  const [project, , region] = s as [string, string, string];
  const annotator = stripSuffix(s[3], '.json');
  return annotator !== null && ids(project, region, annotator) ? { project, region, annotator } : null;
}

export function parseDatasetVersionKey(prefix: string, key: string): { readonly project: string; readonly dataset: string; readonly version: string } | null {
  const s = segmentsAfter(prefix, key, 'projects/');
  if (s?.length !== 6 || s[1] !== 'datasets' || s[3] !== 'versions' || s[5] !== 'manifest.json') return null;
  const [project, , dataset, , version] = s as [string, string, string, string, string];
  return ids(project, dataset, version) ? { project, dataset, version } : null;
}

// ---- keys that become local file paths (Invariant 6: a key must never escape the cache folder) ----
const WINDOWS_DEVICE_NAMES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

// Why `relativeKey` cannot be stored under a cache folder, or null when it can. Pure string rules; the node side joins paths.
export function unsafeKeyReason(relativeKey: string): string | null {
  if (relativeKey.length === 0) return 'the key is empty';
  if (relativeKey.includes('\u0000')) return 'the key contains a NUL character';
  if (hasControlCharacter(relativeKey)) return 'the key contains a control character';
  if (relativeKey.includes('\\')) return 'the key contains a backslash, which Windows treats as a folder separator';
  if (/^[A-Za-z]:/.test(relativeKey)) return 'the key starts with a drive letter';
  if (relativeKey.startsWith('/')) return 'the key is an absolute path';
  if (relativeKey.endsWith('/')) return 'the key names a folder, not a file';
  for (const segment of relativeKey.split('/')) {
    if (segment === '') return 'the key has an empty segment ("//")';
    if (segment === '..') return 'the key has a ".." segment that would leave the cache folder';
    if (segment === '.') return 'the key has a "." segment';
    if (segment.includes(':')) return `the segment "${segment}" contains ":", which Windows cannot store in a file name`;
    if (WINDOWS_DEVICE_NAMES.test(segment)) return `the segment "${segment}" is a reserved device name on Windows`;
    if (/[. ]$/.test(segment)) return `the segment "${segment}" ends with "." or a space, which Windows drops`;
    if (segment.length > 255) return 'a segment is longer than 255 characters';
  }
  return null;
}

// The key below `prefix`, or null when `key` is not under it.
export function keyBelow(prefix: string, key: string): string | null {
  return key.startsWith(prefix) ? key.slice(prefix.length) : null;
}

export function parseLedgerKey(prefix: string, key: string): { readonly project: string; readonly seq: number } | null {
  const s = segmentsAfter(prefix, key, 'projects/');
  if (s?.length !== 3 || s[1] !== 'ledger') return null;
  const m = /^(\d{8,})\.json$/.exec(s[2]!);
  return m && ids(s[0]!) ? { project: s[0]!, seq: Number(m[1]) } : null;
}

export type ReviewKeyRef = (BatchRef & { readonly kind: 'verdict'; readonly verdict: Verdict }) | (BatchRef & { readonly kind: 'chunk'; readonly reviewer: string });

export function parseReviewKey(prefix: string, key: string): ReviewKeyRef | null {
  const s = segmentsAfter(prefix, key, 'projects/');
  if (s === null || s[1] !== 'reviews' || (s.length !== 5 && s.length !== 6)) return null;
  const [project, , region, batch] = s as [string, string, string, string];
  if (!ids(project, region, batch)) return null;
  if (s.length === 5) {
    const m = /^verdict\.(accepted|rework)\.json$/.exec(s[4]!);
    return m ? { project, region, batch, kind: 'verdict', verdict: m[1] as Verdict } : null;
  }
  const reviewer = s[4]!;
  return ids(reviewer) && /^\d{8,}-[0-9a-f]{64}\.jsonl$/.test(s[5]!) ? { project, region, batch, kind: 'chunk', reviewer } : null;
}

export function parseReleaseKey(prefix: string, key: string): (BatchRef & { readonly formerHolder: string; readonly stamp: string }) | null {
  const s = segmentsAfter(prefix, key, 'projects/');
  if (s?.length !== 5 || s[1] !== 'releases') return null;
  const [project, , region, batch, file] = s as [string, string, string, string, string];
  const m = /^(\d{8}T\d{9}Z)-(.+)\.json$/.exec(file);
  return m && ids(project, region, batch, m[2]!) ? { project, region, batch, stamp: m[1]!, formerHolder: m[2]! } : null;
}
