// What the lead e2e test needs besides the fixture: more annotators (each a real core, one with its own web host),
// answering through the Prodigy stand-in's REST API, raw claims written behind Ferry's back, and the CLI's report.
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Page } from '@playwright/test';
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createCore, type Core } from '../../electron/host/core.ts';
import { startWebHost, type WebHost } from '../../electron/host/web-host.ts';
import type { CommandName, CommandRequest, CommandResponse } from '../../shared/api.ts';
import type { WorkspaceConfigInput } from '../../shared/config.ts';
import type { ProgressDetail } from '../../shared/lead.ts';
import { postJson } from '../prodigy-standin/harness.ts';
import { RENDERER_DIST } from './fixtures.ts';

const repo = resolve(import.meta.dirname, '../..');

export type Annotator = {
  readonly name: string;
  readonly core: Core;
  readonly configPath: string;
  /** Only for an annotator who works in the browser. */
  readonly host: WebHost | null;
  call<K extends CommandName>(command: K, request: CommandRequest<K>): Promise<CommandResponse<K>>;
  close(): Promise<void>;
};

async function dispatch<K extends CommandName>(core: Core, command: K, request: CommandRequest<K>): Promise<CommandResponse<K>> {
  const result = await core.dispatch(command, request);
  if (!result.ok) throw new Error(`${command} failed: ${result.error.code}: ${result.error.message}`);
  return result.value as CommandResponse<K>;
}

// A second person's Ferry: their own workspace file and data folder; with `web`, their own web host to open in a tab.
export async function startAnnotator(dir: string, name: string, workspace: WorkspaceConfigInput, options: { readonly web: boolean }): Promise<Annotator> {
  const home = join(dir, name);
  await mkdir(home, { recursive: true });
  const configPath = join(home, 'ferry.json');
  const core = createCore({ configPath, host: options.web ? 'web' : 'cli', version: '0.0.0-e2e' });
  await dispatch(core, 'config.save', { config: { ...workspace, dataDir: join(home, 'data') } });
  const host = options.web ? await startWebHost({ core, port: 0, distDir: RENDERER_DIST }) : null;
  return {
    name,
    core,
    configPath,
    host,
    call: (command, request) => dispatch(core, command, request),
    async close() {
      await host?.close();
      await core.close();
    },
  };
}

// Answers the first tasks of an open batch through the stand-in's REST API, as Prodigy's page would.
export async function answerOverRest(opened: CommandResponse<'batches.open'>, sessionId: string, answers: readonly string[]): Promise<void> {
  const auth = { authorization: `Basic ${Buffer.from(`${opened.login.username}:${opened.login.password}`).toString('base64')}` };
  const base = new URL(opened.url).origin;
  const questions = (await postJson(`${base}/get_session_questions`, { session_id: sessionId }, auth)).body as { tasks: Record<string, unknown>[] };
  const given = questions.tasks.slice(0, answers.length).map((task, i) => ({ ...task, answer: answers[i] }));
  const res = await postJson(`${base}/give_answers`, { answers: given, session_id: sessionId }, auth);
  if (res.status !== 200) throw new Error(`give_answers answered ${res.status}`);
}

export async function writeJsonl(path: string, lines: readonly unknown[]): Promise<string> {
  await writeFile(path, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
  return path;
}

// A claim as another annotator's Ferry would have written it, with times of our choosing (e.g. a lease long passed).
export async function putClaim(s3: S3Client, bucket: string, claim: { project: string; region: string; batch: string; annotator: string; claimedAt: Date; leaseUntil: Date; renewedAt?: Date }): Promise<void> {
  const body = {
    kind: 'ferry.claim',
    version: 1,
    project: claim.project,
    region: claim.region,
    batch: claim.batch,
    annotator: claim.annotator,
    claimedAt: claim.claimedAt.toISOString(),
    leaseUntil: claim.leaseUntil.toISOString(),
    ...(claim.renewedAt ? { renewedAt: claim.renewedAt.toISOString() } : {}),
    appVersion: '0.0.0-e2e',
  };
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `projects/${claim.project}/claims/${claim.region}/${claim.batch}.json`, Body: JSON.stringify(body, null, 2), ContentType: 'application/json' }));
}

// `ferry progress --json` in its own process, against the lead's workspace file.
export async function progressFromCli(configPath: string, project: string): Promise<Omit<ProgressDetail, 'batches'>> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(repo, 'bin', 'ferry.js'), 'progress', '--project', project, '--json', '--config', configPath], { cwd: repo, env: process.env, timeout: 60_000 });
  return JSON.parse(stdout) as Omit<ProgressDetail, 'batches'>;
}

// The numbers one region row of the dashboard shows, read from the page as a person sees them.
export async function regionRowNumbers(page: Page, region: string): Promise<Record<string, number>> {
  const row = page.locator(`tr.region-row[data-region="${region}"]`);
  const read = async (id: string) => Number(((await row.getByTestId(id).first().textContent()) ?? '').replace(/[^\d]/g, ''));
  const names = ['batches-unclaimed', 'batches-claimed', 'batches-submitted', 'batches-in_review', 'batches-accepted', 'batches-rework', 'answers-accept', 'answers-reject', 'answers-ignore', 'stale'] as const;
  const out: Record<string, number> = {};
  for (const name of names) out[name] = await read(name);
  return out;
}

// Collects script errors and console errors of a page that is not the fixture's own.
export function watchConsole(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  return problems;
}
