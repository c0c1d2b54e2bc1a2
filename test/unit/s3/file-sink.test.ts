// The download's write side on real files: positional batched writes, starting over in the same file, and a body
// receiver that reports every way a stream can end (done, failed, cut short, cancelled).
import { createHash } from 'node:crypto';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PartWriter, receiveBody } from '../../../electron/s3/file-sink.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-sink-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function writerAt(name: string, from = 0, flag = 'w') {
  const hash = createHash('sha256');
  const chunks: number[] = [];
  const writer = new PartWriter(() => open(join(dir, name), flag), hash, from, (n) => chunks.push(n));
  return { handle: { close: () => writer.close() }, hash, writer, chunks };
}

describe('PartWriter', () => {
  it('writes what it takes at consecutive positions and hashes it on the way', async () => {
    const { handle, hash, writer, chunks } = await writerAt('a.part');
    const parts = [Buffer.alloc(700_000, 1), Buffer.alloc(700_000, 2), Buffer.from('tail')];
    const flushes = parts.map((p) => writer.take(p));
    expect(flushes.map((f) => f !== undefined)).toEqual([false, true, false]); // a write starts once 1 MiB has gathered
    await writer.flush();
    await handle.close();
    const all = Buffer.concat(parts);
    expect((await readFile(join(dir, 'a.part'))).equals(all)).toBe(true);
    expect(hash.digest('hex')).toBe(sha(all));
    expect(writer.received).toBe(all.length);
    expect(chunks).toEqual(parts.map((p) => p.length));
  });

  it('carries on after bytes already in the file when resuming', async () => {
    const path = join(dir, 'b.part');
    await writeFile(path, 'first-');
    const { handle, writer } = await writerAt('b.part', 6, 'r+');
    writer.take(Buffer.from('second'));
    await writer.flush();
    await handle.close();
    expect(await readFile(path, 'utf8')).toBe('first-second');
    expect(writer.received).toBe(12);
  });

  it('takes bytes before the file is open, and reports a failed open at the first flush', async () => {
    const writer = new PartWriter(() => open(join(dir, 'missing-folder', 'x.part'), 'w'), createHash('sha256'), 0, () => undefined);
    expect(writer.take(Buffer.from('early'))).toBeUndefined();
    expect(writer.received).toBe(5);
    await expect(writer.flush()).rejects.toMatchObject({ code: 'ENOENT' });
    await writer.close(); // nothing to close, and no error either
  });

  it('restart empties the file and hashes from the first byte again', async () => {
    const { handle, writer } = await writerAt('c.part', 0);
    writer.take(Buffer.alloc(2_000_000, 7));
    writer.take(Buffer.from('pending, never written'));
    const fresh = createHash('sha256');
    await writer.restart(fresh);
    writer.take(Buffer.from('short'));
    await writer.flush();
    await handle.close();
    expect(await readFile(join(dir, 'c.part'), 'utf8')).toBe('short');
    expect(fresh.digest('hex')).toBe(sha(Buffer.from('short')));
    expect(writer.received).toBe(5);
  });
});

describe('receiveBody', () => {
  it('takes a whole body and flushes it', async () => {
    const { handle, writer } = await writerAt('d.part');
    const body = Buffer.alloc(3 * 1024 * 1024 + 5, 9);
    await receiveBody(Readable.from([body.subarray(0, 1_500_000), body.subarray(1_500_000)]), writer, undefined);
    await handle.close();
    expect((await readFile(join(dir, 'd.part'))).equals(body)).toBe(true);
  });

  it('rejects with the body error', async () => {
    const { handle, writer } = await writerAt('e.part');
    const body = new PassThrough();
    const receiving = receiveBody(body, writer, undefined);
    body.write(Buffer.from('abc'));
    body.destroy(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    await expect(receiving).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(writer.received).toBe(3);
    await handle.close();
  });

  it('a body closed before its end is a cut connection, not a finished download', async () => {
    const { handle, writer } = await writerAt('f.part');
    const body = new PassThrough();
    const receiving = receiveBody(body, writer, undefined);
    body.write(Buffer.from('abc'));
    body.destroy();
    await expect(receiving).rejects.toMatchObject({ code: 'ECONNRESET', message: 'The connection closed before the whole object arrived' });
    await handle.close();
  });

  it('a body that already failed before anyone listened still reports it', async () => {
    const { handle, writer } = await writerAt('g.part');
    const body = new PassThrough();
    body.on('error', () => undefined);
    body.destroy(Object.assign(new Error('reset'), { code: 'ECONNRESET' }));
    await new Promise((resolve) => body.once('close', resolve));
    await expect(receiveBody(body, writer, undefined)).rejects.toMatchObject({ message: 'reset' });
    await handle.close();
  });

  it('a cancel destroys the body and rejects as an AbortError', async () => {
    const { handle, writer } = await writerAt('h.part');
    const body = new PassThrough();
    const controller = new AbortController();
    const receiving = receiveBody(body, writer, controller.signal);
    body.write(Buffer.from('abc'));
    controller.abort();
    await expect(receiving).rejects.toMatchObject({ name: 'AbortError' });
    expect(body.destroyed).toBe(true);
    await handle.close();
  });
});
