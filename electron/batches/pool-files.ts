// A pool prefix of raw files (one task per file), listed incrementally: after the first full listing, a run lists only
// keys after the last one seen (StartAfter); a full re-listing (on request, or once a day) finds deleted files.
import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import { FerryError } from '../../shared/result.ts';
import type { LeadIndexStore, PoolObjectRow } from '../store/lead-index.ts';
import { listKeys } from '../s3/objects.ts';
import { parseS3Uri } from './assets.ts';
import type { PoolItem } from './pool.ts';

export type FileKind = 'image' | 'pdf' | 'audio' | 'video' | 'text';

const EXTENSIONS: Readonly<Record<string, FileKind>> = {
  jpg: 'image', jpeg: 'image', png: 'image', gif: 'image', webp: 'image', bmp: 'image', tif: 'image', tiff: 'image', svg: 'image',
  pdf: 'pdf',
  mp3: 'audio', wav: 'audio', ogg: 'audio', oga: 'audio', flac: 'audio', m4a: 'audio', aac: 'audio', opus: 'audio',
  mp4: 'video', mov: 'video', webm: 'video', mkv: 'video',
  txt: 'text', text: 'text', md: 'text',
};
export const SUPPORTED_EXTENSIONS = Object.keys(EXTENSIONS);
const FULL_SCAN_EVERY_MS = 24 * 60 * 60 * 1000;
const SHOW = 10;

export function fileKindOf(key: string): FileKind | null {
  const m = /\.([A-Za-z0-9]+)$/.exec(key);
  return m ? (EXTENSIONS[m[1]!.toLowerCase()] ?? null) : null;
}

export type PrefixListing = {
  readonly uri: string;
  readonly objects: readonly PoolObjectRow[];
  readonly sha256: string; // of the sorted "key etag size" lines: the input checksum a manifest records
  readonly listedKeys: number; // keys this run listed (all of them on a full scan, only new ones otherwise)
  readonly fullScan: boolean;
  readonly added: readonly string[];
  readonly deleted: readonly string[]; // known before, gone now: reported and dropped from the pool
  readonly unsupported: readonly string[]; // listed this run, not a file type Ferry makes tasks of
};

// An s3://bucket/prefix/ URI as bucket and key prefix; a whole bucket (s3://bucket/) has the prefix "".
export function parseS3Prefix(uri: string): { bucket: string; key: string } | null {
  return parseS3Uri(uri) ?? (/^s3:\/\/[^/]+\/$/.test(uri) ? { bucket: uri.slice(5, -1), key: '' } : null);
}

export function showList(keys: readonly string[]): string {
  return keys.length <= SHOW ? keys.join(', ') : `${keys.slice(0, SHOW).join(', ')} and ${keys.length - SHOW} more`;
}

function listingSha(objects: readonly PoolObjectRow[]): string {
  const hash = createHash('sha256');
  for (const o of [...objects].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) hash.update(`${o.key} ${o.etag} ${o.size}\n`);
  return hash.digest('hex');
}

export type ListPrefixOptions = { readonly index?: LeadIndexStore; readonly rescan?: boolean; readonly now?: Date; readonly signal?: AbortSignal };

export async function listPoolPrefix(client: S3Client, uri: string, options: ListPrefixOptions = {}): Promise<PrefixListing> {
  const parsed = parseS3Prefix(uri);
  if (!parsed) throw new FerryError('malformed-input', `The pool prefix "${uri}" is not an s3://bucket/prefix/ URI.`);
  const { bucket, key: prefix } = parsed;
  const now = options.now ?? new Date();
  const known = options.index?.poolObjects(uri) ?? new Map<string, PoolObjectRow>();
  const cursor = options.index?.poolCursor(uri);
  const due = !cursor?.fullScanAt || now.getTime() - Date.parse(cursor.fullScanAt) >= FULL_SCAN_EVERY_MS;
  const fullScan = options.rescan === true || due || known.size === 0;
  const startAfter = fullScan ? undefined : (cursor?.lastKey ?? undefined);
  const listed: PoolObjectRow[] = [];
  const unsupported: string[] = [];
  let listedKeys = 0;
  let lastKey = cursor?.lastKey ?? null;
  for await (const o of listKeys(client, bucket, prefix, { ...(startAfter ? { startAfter } : {}), ...(options.signal ? { signal: options.signal } : {}) })) {
    if (o.key.endsWith('/')) continue; // a console-made "folder"
    listedKeys += 1;
    if (lastKey === null || o.key > lastKey) lastKey = o.key;
    if (fileKindOf(o.key) === null) unsupported.push(o.key);
    else listed.push({ key: o.key, etag: o.etag, size: o.size });
  }
  if (fullScan && listedKeys === 0) {
    throw new FerryError('not-found', `The pool prefix ${uri} holds no objects: it does not exist or is empty. Check the prefix (aws s3 ls ${uri}) or upload the raw files first.`);
  }
  if (fullScan && listed.length === 0) {
    throw new FerryError(
      'malformed-input',
      `The pool prefix ${uri} holds no files Ferry can make tasks from: ${unsupported.length} unsupported file(s) (${showList(unsupported)}). Supported: ${SUPPORTED_EXTENSIONS.map((e) => `.${e}`).join(' ')}; put JSONL/CSV task files in the pool as "tasks" sources instead.`,
    );
  }
  const added = listed.filter((o) => known.get(o.key)?.etag !== o.etag).map((o) => o.key);
  const listedSet = new Set(listed.map((o) => o.key));
  const deleted = fullScan ? [...known.keys()].filter((k) => !listedSet.has(k)).sort() : [];
  const merged = new Map(known);
  for (const k of deleted) merged.delete(k);
  for (const o of listed) merged.set(o.key, o);
  const addedSet = new Set(added);
  options.index?.applyPoolObjects(uri, listed.filter((o) => addedSet.has(o.key)), deleted);
  options.index?.setPoolCursor(uri, { lastKey, fullScanAt: fullScan ? now.toISOString() : (cursor?.fullScanAt ?? null) });
  const objects = [...merged.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { uri, objects, sha256: listingSha(objects), listedKeys, fullScan, added, deleted, unsupported };
}

// One task per raw file: images, PDFs, audio and video point at the file; text files are read when their batch is built.
export function fileItems(uri: string, objects: readonly PoolObjectRow[]): PoolItem[] {
  const { bucket } = parseS3Uri(uri) ?? { bucket: uri.slice(5, -1) };
  const prefix = uri.slice(`s3://${bucket}/`.length);
  return objects.map((o, i) => {
    const kind = fileKindOf(o.key)!;
    const source = `s3://${bucket}/${o.key}`;
    const below = o.key.slice(prefix.length);
    const folder = below.includes('/') ? below.slice(0, below.lastIndexOf('/')) : '';
    const meta = { source_key: source, file: below, folder, ext: (/\.([A-Za-z0-9]+)$/.exec(o.key)?.[1] ?? '').toLowerCase(), kind };
    const task = kind === 'text' ? { text: '', meta } : { [kind]: source, meta };
    return { id: source, line: i + 1, task, source: uri, file: { bucket, key: o.key, kind } };
  });
}
