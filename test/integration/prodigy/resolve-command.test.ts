// resolveProdigyCommand with real PATHs: a configured command, `prodigy` on PATH, `python3 -m prodigy`, or neither.
import { execFileSync } from 'node:child_process';
import { chmodSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FerryError } from '../../../shared/result.ts';
import { resolveProdigyCommand } from '../../../electron/prodigy/resolve-command.ts';
import { runProdigyCommand } from '../../../electron/prodigy/run-prodigy.ts';
import { STANDIN_BIN, STANDIN_DIR } from '../../prodigy-standin/harness.ts';
import { removeTempDirs, STANDIN_COMMAND, tempDir } from './prodigy-fixture.ts';

afterEach(() => {
  removeTempDirs();
});

// The real interpreter (not a pyenv shim, which needs bash on PATH), so a PATH of one folder still runs Python.
const PYTHON = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();

function pathWith(links: Record<string, string>): string {
  const dir = tempDir('ferry-path-');
  for (const [name, target] of Object.entries(links)) symlinkSync(target, join(dir, name));
  return dir;
}

// An installed `prodigy` console script, as pip would put it on PATH.
function installProdigyScript(dir: string): void {
  const script = join(dir, 'prodigy');
  writeFileSync(script, `#!/bin/sh\nexec "${PYTHON}" "${STANDIN_BIN}" "$@"\n`);
  chmodSync(script, 0o755);
}

async function failure(promise: Promise<unknown>): Promise<FerryError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(FerryError);
    return error as FerryError;
  }
  throw new Error('expected the promise to reject');
}

describe('resolveProdigyCommand', () => {
  it('uses the workspace prodigyCommand when its executable exists', async () => {
    expect(await resolveProdigyCommand([...STANDIN_COMMAND])).toEqual([...STANDIN_COMMAND]);
    expect(await resolveProdigyCommand([STANDIN_BIN, '--extra'])).toEqual([STANDIN_BIN, '--extra']);
  });

  it('a configured command that is not on PATH → prodigy-not-found naming it and the Settings fix', async () => {
    const error = await failure(resolveProdigyCommand(['prodigy-nowhere-xyz', '-m', 'prodigy']));
    expect(error.code).toBe('prodigy-not-found');
    expect(error.message).toContain('prodigy-nowhere-xyz');
    expect(error.message).toContain('prodigyCommand in Settings');
    expect(error.message).toContain('install Prodigy');
  });

  it('a configured path that does not exist → prodigy-not-found saying it is not an executable file', async () => {
    const error = await failure(resolveProdigyCommand(['/opt/none/bin/prodigy']));
    expect(error.code).toBe('prodigy-not-found');
    expect(error.message).toContain('"/opt/none/bin/prodigy" is not an executable file');
  });

  it('defaults to `prodigy` on PATH, which then runs', async () => {
    const bin = pathWith({});
    installProdigyScript(bin);
    const env = { ...process.env, PATH: bin };
    const command = await resolveProdigyCommand(undefined, env);
    expect(command).toEqual(['prodigy']);
    const stats = await runProdigyCommand(command, ['stats'], { home: tempDir(), env });
    expect(stats.stdout).toContain('Prodigy Home');
  });

  it('falls back to `python3 -m prodigy` when python3 can import prodigy', async () => {
    const bin = pathWith({ python3: PYTHON });
    const env = { ...process.env, PATH: bin, PYTHONPATH: STANDIN_DIR };
    const command = await resolveProdigyCommand(undefined, env);
    expect(command).toEqual(['python3', '-m', 'prodigy']);
    const stats = await runProdigyCommand(command, ['stats'], { home: tempDir(), env });
    expect(stats.stdout).toContain('Prodigy Home');
  });

  it('neither `prodigy` nor an importable prodigy → prodigy-not-found explaining both were tried', async () => {
    const bin = pathWith({ python3: PYTHON });
    const error = await failure(resolveProdigyCommand(undefined, { ...process.env, PATH: bin, PYTHONPATH: '' }));
    expect(error.code).toBe('prodigy-not-found');
    expect(error.message).toContain('no "prodigy" command on PATH');
    expect(error.message).toContain("python3 can't import prodigy");
    expect(error.message).toContain('No module named');
  });

  it('no python3 at all → prodigy-not-found saying python3 is not on PATH', async () => {
    const error = await failure(resolveProdigyCommand(undefined, { ...process.env, PATH: tempDir('ferry-empty-path-') }));
    expect(error.code).toBe('prodigy-not-found');
    expect(error.message).toContain('python3 is not on PATH');
  });
});
