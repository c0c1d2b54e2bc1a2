// Checks a project's pool sources when the project is created: a prefix that does not exist, holds nothing, or only
// holds file types Ferry cannot make tasks of is refused with the files listed; a task file that is not there too.
import { stat } from 'node:fs/promises';
import type { PoolSource } from '../../shared/project.ts';
import { FerryError } from '../../shared/result.ts';
import { headObject, listKeys } from '../s3/objects.ts';
import type { S3Target } from '../projects/projects.ts';
import { parseS3Uri } from './assets.ts';
import { fileKindOf, parseS3Prefix, showList, SUPPORTED_EXTENSIONS } from './pool-files.ts';

const LOOK_AT = 5000; // keys to look at before deciding a prefix holds usable files

export type PoolCheck = { readonly uri: string; readonly supported: number; readonly unsupported: readonly string[]; readonly complete: boolean };

async function checkPrefix(target: S3Target, uri: string): Promise<PoolCheck> {
  const parsed = parseS3Prefix(uri);
  if (!parsed) throw new FerryError('malformed-input', `The pool prefix "${uri}" is not an s3://bucket/prefix/ URI ending in "/".`);
  let seen = 0;
  let supported = 0;
  const unsupported: string[] = [];
  for await (const o of listKeys(target.client, parsed.bucket, parsed.key)) {
    if (o.key.endsWith('/')) continue;
    seen += 1;
    if (fileKindOf(o.key)) supported += 1;
    else unsupported.push(o.key);
    if (seen >= LOOK_AT) break;
  }
  if (seen === 0) throw new FerryError('not-found', `The pool prefix ${uri} holds no objects: it does not exist or is empty. Check the prefix (aws s3 ls ${uri}) or upload the raw files first.`);
  if (supported === 0) {
    throw new FerryError('malformed-input', `The pool prefix ${uri} holds no files Ferry can make tasks from: ${unsupported.length} unsupported file(s) (${showList(unsupported)}). Supported: ${SUPPORTED_EXTENSIONS.map((e) => `.${e}`).join(' ')}.`);
  }
  return { uri, supported, unsupported, complete: seen < LOOK_AT };
}

async function checkTaskFile(target: S3Target, uri: string): Promise<PoolCheck> {
  if (uri.startsWith('s3://')) {
    const parsed = parseS3Uri(uri);
    if (!parsed) throw new FerryError('malformed-input', `The pool file "${uri}" is not an s3://bucket/key URI.`);
    if (!(await headObject(target.client, parsed.bucket, parsed.key))) throw new FerryError('not-found', `The pool file ${uri} does not exist. Upload it first, or fix the URI.`);
  } else {
    try {
      await stat(uri);
    } catch (error) {
      throw new FerryError('not-found', `Cannot read the pool file ${uri}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
    }
  }
  return { uri, supported: 1, unsupported: [], complete: true };
}

export async function checkPoolSources(target: S3Target, sources: readonly PoolSource[]): Promise<PoolCheck[]> {
  const checks: PoolCheck[] = [];
  for (const source of sources) checks.push(source.kind === 'files' ? await checkPrefix(target, source.uri) : await checkTaskFile(target, source.uri));
  return checks;
}
