// A project's pool: every source read into one list of items (raw-file prefixes, JSONL/CSV task files in S3 or on
// disk), with each input's checksum for the manifest and the problems a lead must hear about (deleted or unsupported files).
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { PoolSource } from '../../shared/project.ts';
import { FerryError } from '../../shared/result.ts';
import type { LeadIndexStore } from '../store/lead-index.ts';
import { s3Failure } from '../s3/failure.ts';
import type { S3Target } from '../projects/projects.ts';
import { parseS3Uri } from './assets.ts';
import { fileItems, listPoolPrefix, showList } from './pool-files.ts';
import { formatOf, readTaskFile, readTaskStream, type PoolItem, type TaskFileRead } from './pool.ts';

export type PoolInputSummary = {
  readonly kind: PoolSource['kind'];
  readonly uri: string;
  readonly sha256: string;
  readonly items: number;
  readonly listedKeys?: number;
  readonly fullScan?: boolean;
};

export type PoolRead = {
  readonly items: PoolItem[];
  readonly inputs: readonly PoolInputSummary[];
  readonly sha256: string; // of the inputs' checksums, in order: one value naming this pool exactly
  readonly deleted: readonly string[]; // pool files that were listed before and are gone now
  readonly unsupported: readonly string[];
  readonly notes: readonly string[];
};

export type ReadPoolOptions = { readonly index?: LeadIndexStore; readonly rescan?: boolean; readonly signal?: AbortSignal; readonly now?: Date };

// `--pool X`: a path on disk, an s3:// task file, or an s3:// prefix of raw files (ending in "/").
export function poolSourceFromArg(value: string): PoolSource {
  if (value.startsWith('s3://') && value.endsWith('/')) return { kind: 'files', uri: value };
  return { kind: 'tasks', uri: value };
}

async function readS3TaskFile(target: S3Target, uri: string, signal?: AbortSignal): Promise<TaskFileRead> {
  const parsed = parseS3Uri(uri);
  if (!parsed) throw new FerryError('malformed-input', `The pool file "${uri}" is not an s3://bucket/key URI.`);
  let body: Readable;
  try {
    const r = await target.client.send(new GetObjectCommand({ Bucket: parsed.bucket, Key: parsed.key }), { abortSignal: signal });
    body = r.Body as Readable;
  } catch (error) {
    const failure = s3Failure(target.client, error, 'GetObject', parsed.bucket, parsed.key);
    if (failure.code === 'not-found') throw new FerryError('not-found', `The pool file ${uri} does not exist. Check the pool's sources (ferry project show) or upload it.`);
    throw failure;
  }
  const name = parsed.key.slice(parsed.key.lastIndexOf('/') + 1);
  return await readTaskStream(body, name, uri, formatOf(parsed.key));
}

export async function readPool(target: S3Target, sources: readonly PoolSource[], options: ReadPoolOptions = {}): Promise<PoolRead> {
  if (sources.length === 0) throw new FerryError('invalid-request', 'There is no pool to make batches from: pass --pool FILE (a .jsonl/.csv file, or an s3:// prefix of raw files), or give the project a pool.');
  const items: PoolItem[] = [];
  const inputs: PoolInputSummary[] = [];
  const deleted: string[] = [];
  const unsupported: string[] = [];
  const notes: string[] = [];
  const firstSeen = new Map<string, PoolItem>();
  const clashes: string[] = [];
  for (const source of sources) {
    let read: PoolItem[];
    if (source.kind === 'files') {
      const listing = await listPoolPrefix(target.client, source.uri, { ...options });
      read = fileItems(source.uri, listing.objects);
      inputs.push({ kind: 'files', uri: source.uri, sha256: listing.sha256, items: read.length, listedKeys: listing.listedKeys, fullScan: listing.fullScan });
      deleted.push(...listing.deleted);
      unsupported.push(...listing.unsupported);
      if (listing.deleted.length) notes.push(`${listing.deleted.length} file(s) were deleted from ${source.uri} since the last listing and left out of the pool: ${showList(listing.deleted)}.`);
      if (listing.unsupported.length) notes.push(`${listing.unsupported.length} file(s) in ${source.uri} are not a type Ferry makes tasks of and were skipped: ${showList(listing.unsupported)}.`);
    } else {
      const file = source.uri.startsWith('s3://') ? await readS3TaskFile(target, source.uri, options.signal) : await readTaskFile(source.uri);
      read = file.items;
      inputs.push({ kind: 'tasks', uri: source.uri, sha256: file.sha256, items: read.length });
    }
    for (const item of read) {
      const before = firstSeen.get(item.id);
      if (before) {
        clashes.push(`id "${item.id}" in ${item.source} line ${item.line} is already in ${before.source} line ${before.line}`);
        continue;
      }
      firstSeen.set(item.id, item);
      items.push(item);
    }
  }
  if (clashes.length) {
    throw new FerryError('malformed-input', `The pool's sources share ${clashes.length} item id(s); no batch was created:\n  ${clashes.slice(0, 10).join('\n  ')}${clashes.length > 10 ? `\n  … and ${clashes.length - 10} more` : ''}`);
  }
  const sha256 = createHash('sha256').update(inputs.map((i) => `${i.kind} ${i.uri} ${i.sha256}`).join('\n')).digest('hex');
  return { items, inputs, sha256, deleted, unsupported, notes };
}
