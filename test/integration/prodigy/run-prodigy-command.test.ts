// runProdigyCommand against the Prodigy stand-in's plain commands (db-in, db-out, stats, drop) and failing scripts.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FerryError } from '../../../shared/result.ts';
import { runProdigyCommand } from '../../../electron/prodigy/run-prodigy.ts';
import { setProdigyLogSink, type ProdigyLogEntry } from '../../../electron/prodigy/prodigy-log.ts';
import { processGone, removeTempDirs, spawnedDuring, STANDIN_COMMAND, tempDir, writeScript } from './prodigy-fixture.ts';

afterEach(() => {
  removeTempDirs();
});

async function failure(promise: Promise<unknown>): Promise<FerryError & { lastLines?: string[]; exitCode?: number | null }> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(FerryError);
    return error as FerryError & { lastLines?: string[] };
  }
  throw new Error('expected the promise to reject');
}

const examples = [
  { text: 'first', answer: 'accept', _session_id: 'ds-alice', _annotator_id: 'ds-alice' },
  { text: 'second', answer: 'reject', _session_id: 'ds-alice', _annotator_id: 'ds-alice' },
];

describe('runProdigyCommand', () => {
  it('db-in from stdin, then db-out to stdout, in the batch home; timing is logged per operation', async () => {
    const home = tempDir();
    const entries: ProdigyLogEntry[] = [];
    const previous = setProdigyLogSink((entry) => entries.push(entry));
    try {
      const imported = await runProdigyCommand(STANDIN_COMMAND, ['db-in', 'ds', '-'], { home, input: examples.map((e) => JSON.stringify(e)).join('\n') });
      expect(imported.exitCode).toBe(0);
      expect(imported.stdout).toContain('Imported 2 annotations');
      expect(existsSync(join(home, 'prodigy.db'))).toBe(true);

      const out = await runProdigyCommand(STANDIN_COMMAND, ['db-out', 'ds'], { home });
      const lines = out.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.map((l) => [l.text, l.answer])).toEqual([['first', 'accept'], ['second', 'reject']]);
      expect(typeof lines[0]?._task_hash).toBe('number');
    } finally {
      setProdigyLogSink(previous);
    }
    const exits = entries.filter((e) => e.event === 'exit');
    expect(exits.map((e) => e.operation)).toEqual(['db-in', 'db-out']);
    for (const exit of exits) {
      expect(exit.exitCode).toBe(0);
      expect(exit.ms).toBeGreaterThanOrEqual(0);
    }
  });

  it('a failing command → prodigy-failed with its exit code and last stderr lines', async () => {
    const home = tempDir();
    const error = await failure(runProdigyCommand(STANDIN_COMMAND, ['db-out', 'never-saved'], { home }));
    expect(error.code).toBe('prodigy-failed');
    expect(error.exitCode).toBe(1);
    expect(error.message).toContain("Can't find 'never-saved' in database");
    expect(error.lastLines?.join('\n')).toContain('never-saved');
  });

  it('accepts the exit codes the caller expects', async () => {
    const home = tempDir();
    const result = await runProdigyCommand(STANDIN_COMMAND, ['drop', 'never-saved'], { home, okExitCodes: [0, 1] });
    expect([0, 1]).toContain(result.exitCode);
    expect(`${result.stdout}${result.stderr}`).toContain('never-saved');
  });

  it('stats names PRODIGY_HOME as the batch home, not a developer\'s own setup', async () => {
    const home = tempDir();
    const elsewhere = tempDir();
    const stats = await runProdigyCommand(STANDIN_COMMAND, ['stats'], { home, env: { ...process.env, PRODIGY_HOME: elsewhere, PRODIGY_CONFIG_OVERRIDES: '{"db":"postgresql"}' } });
    expect(stats.stdout).toContain(home);
    expect(stats.stdout).not.toContain(elsewhere);
  });

  it('a relative home is made absolute, so Prodigy does not nest it below itself', async () => {
    const home = tempDir();
    const stats = await runProdigyCommand(STANDIN_COMMAND, ['stats'], { home: relative(process.cwd(), home) });
    expect(stats.stdout).toContain(join(home, 'prodigy.db'));
  });

  it('a missing command → prodigy-not-found', async () => {
    const error = await failure(runProdigyCommand(['/no/such/dir/prodigy'], ['stats'], { home: tempDir() }));
    expect(error.code).toBe('prodigy-not-found');
    expect(error.message).toContain('/no/such/dir/prodigy');
  });

  it('timeoutMs stops a hanging command → prodigy-failed saying so', async () => {
    const dir = tempDir();
    const command = writeScript(dir, 'hang.py', 'import os, time\nprint("pid", os.getpid(), flush=True)\ntime.sleep(600)\n');
    let error: FerryError | undefined;
    // The pid from Ferry's spawn log, not the script's output: on a loaded machine Python may not print within 300 ms.
    const [pid] = await spawnedDuring(async () => (error = await failure(runProdigyCommand(command, ['db-out', 'ds'], { home: dir, timeoutMs: 300 }))));
    expect(error?.code).toBe('prodigy-failed');
    expect(error?.message).toContain('did not finish within 300 ms');
    expect(processGone(pid!)).toBe(true);
  });

  it('an abort signal stops the command → cancelled', async () => {
    const dir = tempDir();
    const command = writeScript(dir, 'hang.py', 'import time\nprint("started", flush=True)\ntime.sleep(600)\n');
    const controller = new AbortController();
    const previous = setProdigyLogSink((entry) => {
      if (entry.event === 'spawn') controller.abort(); // abort once it is really running
    });
    try {
      const error = await failure(runProdigyCommand(command, ['db-out', 'ds'], { home: dir, signal: controller.signal }));
      expect(error.code).toBe('cancelled');
    } finally {
      setProdigyLogSink(previous);
    }
  });
});
