// Shared by the Prodigy-wrapper and harvest tests: the stand-in command, temp folders, task files and REST calls
// made the way Prodigy's own web app makes them (basic auth, session id DATASET-NAME).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { basicAuthHeader } from '../../../electron/prodigy/server-readiness.ts';
import { setProdigyLogSink } from '../../../electron/prodigy/prodigy-log.ts';
import type { ProdigyServer } from '../../../electron/prodigy/run-prodigy.ts';
import { STANDIN_BIN } from '../../prodigy-standin/harness.ts';

export const STANDIN_COMMAND: readonly string[] = ['python3', STANDIN_BIN];

const dirs = new Set<string>();

export function tempDir(prefix = 'ferry-prodigy-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.add(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}

export function writeTexts(dir: string, count: number, name = 'tasks.jsonl'): string {
  const path = join(dir, name);
  const lines = Array.from({ length: count }, (_, i) => JSON.stringify({ text: `Sentence number ${i + 1} about Berlin`, meta: { task_id: `t${i + 1}` } }));
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

// A small Python program standing in for a Prodigy that misbehaves in one specific way.
export function writeScript(dir: string, name: string, source: string): string[] {
  const path = join(dir, name);
  writeFileSync(path, source);
  return ['python3', path];
}

export type Task = Record<string, unknown> & { text: string; _task_hash: number; _input_hash: number };

export async function callProdigy(server: ProdigyServer, path: string, body?: unknown, auth = true): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  if (auth) headers.authorization = basicAuthHeader(server.username, server.password);
  const res = await fetch(`${server.baseUrl}${path}`, body === undefined ? { headers } : { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    // HTML or empty body
  }
  return { status: res.status, body: parsed };
}

export async function nextTasks(server: ProdigyServer): Promise<Task[]> {
  const res = await callProdigy(server, '/get_session_questions', { session_id: server.sessionId });
  expect(res.status).toBe(200);
  return (res.body as { tasks: Task[] }).tasks;
}

// Answers `count` tasks the way Prodigy's app does: fetch the session's questions, post them back with an answer.
export async function answerTasks(server: ProdigyServer, count: number, answer: 'accept' | 'reject' | 'ignore' = 'accept', extra: Record<string, unknown> = {}): Promise<Task[]> {
  const tasks = (await nextTasks(server)).slice(0, count);
  expect(tasks).toHaveLength(count);
  const answers = tasks.map((task) => ({ ...task, ...extra, answer }));
  const res = await callProdigy(server, '/give_answers', { answers, session_id: server.sessionId });
  expect(res.status).toBe(200);
  return tasks;
}

export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

// The pids Ferry spawned while `run` ran, from its own spawn log: known at once, however long the child takes to print.
export async function spawnedDuring(run: () => Promise<unknown>): Promise<number[]> {
  const pids: number[] = [];
  const previous = setProdigyLogSink((entry) => {
    if (entry.event === 'spawn' && entry.pid !== undefined) pids.push(entry.pid);
  });
  try {
    await run();
  } finally {
    setProdigyLogSink(previous);
  }
  return pids;
}
