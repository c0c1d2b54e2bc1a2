// The same annotator path through the `ferry` command alone, each step a separate process, as a user would run it.
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ferry, ferryUntil } from '../../helpers/cli.ts';
import { freshBucket, rawClient, s3Endpoint } from '../../helpers/s3-fixture.ts';
import { textPool, writePool } from '../../helpers/workspace-fixture.ts';
import { postJson, STANDIN_BIN } from '../../prodigy-standin/harness.ts';

describe('ferry CLI, annotator path', () => {
  it('init → project create → batches create → get-batch → annotate → submit → status', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-cli-'));
    const bucket = await freshBucket();
    const cfg = ['--config', join(dir, 'workspace.json')];
    const init = await ferry(['init', ...cfg, '--bucket', bucket, '--prefix', 'cli/', '--endpoint', s3Endpoint(), '--force-path-style', '--annotator', 'bob', '--region', 'emea', '--data-dir', join(dir, 'data'), '--prodigy-command', `python3 ${STANDIN_BIN}`]);
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);

    expect((await ferry(['project', 'create', 'news', ...cfg, '--recipe', 'textcat.manual', '--labels', 'POSITIVE,NEGATIVE', '--regions', 'emea,apac'])).code).toBe(0);
    const created = await ferry(['batches', 'create', ...cfg, '--project', 'news', '--region', 'emea', '--pool', writePool(dir, 'pool.jsonl', textPool(8)), '--size', '4', '--json']);
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout).created).toHaveLength(2);

    const got = await ferry(['get-batch', ...cfg, '--json']);
    expect(got.code).toBe(0);
    const batch = JSON.parse(got.stdout) as { batch: string; region: string; tasks: number };
    expect(batch).toMatchObject({ region: 'emea', tasks: 4 });
    expect(got.stderr).toMatch(/pulling news\/emea\/.+ files/);

    const annotate = await ferryUntil(['annotate', batch.batch, ...cfg], /Prodigy is ready: (\S+)\n.*user (\S+), password (\S+)/);
    const url = new URL(annotate.match[1]!);
    expect(url.searchParams.get('session')).toBe('bob');
    const auth = { authorization: `Basic ${Buffer.from(`${annotate.match[2]}:${annotate.match[3]}`).toString('base64')}` };
    const q = (await postJson(`${url.origin}/get_session_questions`, { session_id: 'news-bob' }, auth)).body as { tasks: object[] };
    const answers = q.tasks.slice(0, 3).map((t, i) => ({ ...t, answer: i === 1 ? 'reject' : 'accept', accept: ['POSITIVE'] }));
    expect((await postJson(`${url.origin}/give_answers`, { answers, session_id: 'news-bob' }, auth)).status).toBe(200);
    annotate.child.kill('SIGINT');
    expect(await annotate.exited).toBe(0);
    expect(annotate.output()).toMatch(/Saved 3 of 4 answers/);

    const status = JSON.parse((await ferry(['status', ...cfg, '--json'])).stdout) as { batches: { id: string; status: string; answered: number; total: number }[]; outbox: { pending: number; failed: number } };
    expect(status.batches).toEqual([expect.objectContaining({ id: `news/emea/${batch.batch}`, answered: 3, total: 4 })]);

    const submit = await ferry(['submit', batch.batch, ...cfg, '--json']);
    expect(submit.code).toBe(0);
    expect(JSON.parse(submit.stdout)).toMatchObject({ state: 'submitted', answered: 3 });

    const results = await rawClient().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `cli/projects/news/results/emea/${batch.batch}/bob/` }));
    expect(results.KeyCount).toBe(1);
    const chunk = await rawClient().send(new GetObjectCommand({ Bucket: bucket, Key: results.Contents![0]!.Key! }));
    const lines = (await chunk.Body!.transformToString()).trim().split('\n').map((l) => JSON.parse(l) as { answer: string });
    expect(lines.map((l) => l.answer).sort()).toEqual(['accept', 'accept', 'reject']);
    await rawClient().send(new GetObjectCommand({ Bucket: bucket, Key: `cli/projects/news/submissions/emea/${batch.batch}/bob.json` }));

    const after = JSON.parse((await ferry(['status', ...cfg, '--json'])).stdout) as typeof status;
    expect(after.batches[0]).toMatchObject({ status: 'submitted' });
    expect(after.outbox).toEqual({ pending: 0, failed: 0 });
  });

  it('prints help, the version, and a clear error for an unknown command or a missing workspace file', async () => {
    expect((await ferry(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const help = await ferry(['help']);
    for (const name of ['get-batch', 'annotate', 'submit', 'status', 'doctor', 'web']) expect(help.stdout).toContain(name);
    const unknown = await ferry(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const missing = await ferry(['status', '--config', '/nonexistent/ferry.json']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('/nonexistent/ferry.json');
  });
});
