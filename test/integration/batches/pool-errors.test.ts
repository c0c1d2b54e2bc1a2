// `ferry batches create` with a bad pool file, region or project: a specific error naming the file and line (or the
// region/project), and nothing written to S3 — the bucket holds only the project, as before.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBatches } from '../../../electron/batches/create-batches.ts';
import { makeWorkspace, textPool, writePool, type TestWorkspace } from '../../helpers/workspace-fixture.ts';
import { ferryError, PROJECT, rawKeys, seedProject } from '../annotator/errors/error-kit.ts';

const open: TestWorkspace[] = [];
afterEach(async () => {
  for (const ws of open.splice(0)) await ws.core.close();
});

async function leadWorkspace() {
  const ws = await makeWorkspace();
  open.push(ws);
  const target = await seedProject(ws);
  const untouched = async () => expect(await rawKeys(ws.config.bucket)).toEqual([`${ws.config.prefix}projects/${PROJECT}/project.json`]);
  return { ws, target, untouched };
}

function poolText(dir: string, lines: readonly string[]): string {
  const path = join(dir, 'pool.jsonl');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('createBatches: bad pool files', () => {
  it('names the file and line of malformed JSON and creates no batch', async () => {
    const { ws, target, untouched } = await leadWorkspace();
    const pool = poolText(ws.dir, ['{"id": "a", "text": "one"}', '{"id": "b", "text": "two"}', '{"id": "c", "text": "three"', '{"id": "d", "text": "four"}']);
    const error = await ferryError(createBatches(target, { project: PROJECT, region: 'emea', poolFile: pool, size: 2, createdBy: 'lead' }));
    expect(error.code).toBe('malformed-input');
    expect(error.message).toMatch(new RegExp(`^The pool file ${pool.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} has 1 bad line\\(s\\); no batch was created:\\n  pool\\.jsonl line 3: not valid JSON \\(.+\\)$`));
    await untouched();
  });

  it('lists every bad line at once: not an object, no input field, a reused id', async () => {
    const { ws, target, untouched } = await leadWorkspace();
    const pool = poolText(ws.dir, ['{"id": "a", "text": "one"}', '["a", "list"]', '{"id": "b", "meta": {"source": "x"}}', '', '{"id": "a", "text": "again"}', '{"id": "c", "text": "fine"}']);
    const error = await ferryError(createBatches(target, { project: PROJECT, region: 'emea', poolFile: pool, createdBy: 'lead' }));
    expect(error.code).toBe('malformed-input');
    expect(error.message).toBe(
      [
        `The pool file ${pool} has 3 bad line(s); no batch was created:`,
        '  pool.jsonl line 2: expected a JSON object such as {"text": "..."}',
        '  pool.jsonl line 3: a task needs one of text, image, html, audio, video, input',
        '  pool.jsonl line 5: id "a" already used on line 1',
      ].join('\n'),
    );
    await untouched();
  });

  it('refuses a pool file that does not exist, or holds no tasks', async () => {
    const { ws, target, untouched } = await leadWorkspace();
    const missing = join(ws.dir, 'nope.jsonl');
    const gone = await ferryError(createBatches(target, { project: PROJECT, region: 'emea', poolFile: missing, createdBy: 'lead' }));
    expect(gone).toMatchObject({ code: 'not-found', message: `Cannot read the pool file ${missing}: ENOENT.` });
    const empty = poolText(ws.dir, ['', '   ']);
    expect(await ferryError(createBatches(target, { project: PROJECT, region: 'emea', poolFile: empty, createdBy: 'lead' }))).toMatchObject({
      code: 'malformed-input',
      message: `The pool file ${empty} holds no tasks.`,
    });
    await untouched();
  });
});

describe('createBatches: region and project', () => {
  it('refuses a region that is not part of the project, naming the project\'s regions', async () => {
    const { ws, target, untouched } = await leadWorkspace();
    const error = await ferryError(createBatches(target, { project: PROJECT, region: 'amer', poolFile: writePool(ws.dir, 'pool.jsonl', textPool(3)), createdBy: 'lead' }));
    expect(error).toMatchObject({ code: 'malformed-input', message: `Region "amer" is not part of project "${PROJECT}" (its regions: emea, apac).` });
    await untouched();
  });

  it('refuses an unknown project, saying how to create it', async () => {
    const { ws, target, untouched } = await leadWorkspace();
    const error = await ferryError(createBatches(target, { project: 'sports', region: 'emea', poolFile: writePool(ws.dir, 'pool.jsonl', textPool(3)), createdBy: 'lead' }));
    expect(error).toMatchObject({ code: 'not-found', message: `There is no project "sports" in s3://${ws.config.bucket}/${ws.config.prefix}. Create it with \`ferry project create sports …\`.` });
    await untouched();
  });

  it('refuses a batch size that is not a whole number of at least 1', async () => {
    const { ws, target, untouched } = await leadWorkspace();
    const error = await ferryError(createBatches(target, { project: PROJECT, region: 'emea', poolFile: writePool(ws.dir, 'pool.jsonl', textPool(3)), size: 0, createdBy: 'lead' }));
    expect(error).toMatchObject({ code: 'invalid-request', message: '--size must be a whole number of at least 1, not 0.' });
    await untouched();
  });
});
