// Open when Prodigy cannot run or dies at start: a specific error, a `failed` event with what it said, the reason on
// the batch for the UI, and the batch still usable (ready) once Prodigy is fixed.
import { afterEach, describe, expect, it } from 'vitest';
import type { ProdigyEvent } from '../../../../shared/api.ts';
import { saveWorkspaceFile } from '../../../../electron/config/workspace-file.ts';
import { createBatches } from '../../../../electron/batches/create-batches.ts';
import { liveProdigyPids, ProdigyProcessError } from '../../../../electron/prodigy/run-prodigy.ts';
import { STANDIN_BIN, cleanupStandins } from '../../../prodigy-standin/harness.ts';
import { textPool, writePool, type TestWorkspace } from '../../../helpers/workspace-fixture.ts';
import { ferryError, PROJECT, seedProject, workspaceWith } from './error-kit.ts';

const open: TestWorkspace[] = [];
afterEach(async () => {
  for (const ws of open.splice(0)) await ws.core.close();
  await cleanupStandins();
});

async function claimedWorkspace(prodigyCommand: string[]): Promise<{ ws: TestWorkspace; id: string; events: ProdigyEvent[] }> {
  const ws = await workspaceWith({ prodigyCommand });
  open.push(ws);
  const target = await seedProject(ws);
  await createBatches(target, { project: PROJECT, region: 'emea', poolFile: writePool(ws.dir, 'pool.jsonl', textPool(3)), size: 3, createdBy: 'lead' });
  const batch = await ws.core.annotator.claimNext();
  expect(batch.status).toBe('ready');
  const events: ProdigyEvent[] = [];
  ws.core.on('prodigy', (e) => events.push(e));
  return { ws, id: batch.id, events };
}

describe('open: Prodigy is not there', () => {
  it('rejects with prodigy-not-found, keeps the batch ready with the reason on it, and opens once Settings are fixed', async () => {
    const { ws, id, events } = await claimedWorkspace(['/nonexistent/prodigy']);

    const error = await ferryError(ws.core.annotator.open(id));
    expect(error.code).toBe('prodigy-not-found');
    expect(error.message).toContain('prodigyCommand: /nonexistent/prodigy');
    expect(error.message).toContain('"/nonexistent/prodigy" is not an executable file');
    expect(events.map((e) => e.state)).toEqual(['starting', 'failed']);

    const after = await ws.core.annotator.get(id);
    expect(after.status).toBe('ready');
    expect(after.error).toBe(error.message);
    expect(after.prodigy.state).toBe('idle');
    expect(await ws.core.dispatch('batches.open', { id })).toMatchObject({ ok: false, error: { code: 'prodigy-not-found', message: error.message } });

    await saveWorkspaceFile(ws.configPath, { ...ws.config, prodigyCommand: ['python3', STANDIN_BIN] });
    await ws.core.workspaces.reset(); // as config.save does: the next command reopens with the new settings
    const opened = await ws.core.annotator.open(id);
    expect(opened.batch).toMatchObject({ status: 'annotating', error: null, prodigy: { state: 'running' } });
    await ws.core.annotator.stop(id);
  });
});

describe('open: Prodigy exits while starting', () => {
  it('rejects with prodigy-failed carrying what Prodigy said, emits failed with lastLines, and keeps the batch ready', async () => {
    const { ws, id, events } = await claimedWorkspace(['python3', '-c', 'import sys; print("licence expired"); sys.exit(2)']);

    const error = await ferryError(ws.core.annotator.open(id));
    expect(error.code).toBe('prodigy-failed');
    expect(error.message).toBe('Prodigy textcat.manual exited with code 2 before it was ready. It said: licence expired');
    expect(error).toBeInstanceOf(ProdigyProcessError);
    expect((error as ProdigyProcessError).exitCode).toBe(2);
    expect(events.map((e) => e.state)).toEqual(['starting', 'failed']);
    expect(events[1]!.lastLines).toEqual(['licence expired']);

    const after = await ws.core.annotator.get(id);
    expect(after.status).toBe('ready');
    expect(after.error).toBe(error.message);
    expect(liveProdigyPids()).toEqual([]);
    // Trying again fails the same way, not with a stale session or a "conflict".
    expect((await ferryError(ws.core.annotator.open(id))).code).toBe('prodigy-failed');
  });
});
