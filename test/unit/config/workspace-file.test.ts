// The workspace file on a real temp folder: clear problems for bad files, dataDir resolution, atomic saves.
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfigPath, loadWorkspaceConfig, readWorkspaceFile, saveWorkspaceFile } from '../../../electron/config/workspace-file.ts';
import { FerryError } from '../../../shared/result.ts';

const VALID = { bucket: 'team-bucket', prefix: 'teams/emea/', awsRegion: 'eu-west-1', annotator: 'ana', region: 'emea', dataDir: 'data' };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-cfg-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function loadError(path: string): Promise<FerryError> {
  try {
    await loadWorkspaceConfig(path);
  } catch (error) {
    if (error instanceof FerryError) return error;
    throw error;
  }
  throw new Error('expected loadWorkspaceConfig to fail');
}

describe('defaultConfigPath', () => {
  it('prefers FERRY_CONFIG, then XDG_CONFIG_HOME, then ~/.config on Linux', () => {
    expect(defaultConfigPath({ FERRY_CONFIG: '/etc/ferry/w.json' }, 'linux')).toBe('/etc/ferry/w.json');
    expect(defaultConfigPath({ XDG_CONFIG_HOME: '/x/cfg', HOME: '/home/ana' }, 'linux')).toBe('/x/cfg/ferry/workspace.json');
    expect(defaultConfigPath({ XDG_CONFIG_HOME: 'relative', HOME: '/home/ana' }, 'linux')).toBe('/home/ana/.config/ferry/workspace.json');
    expect(defaultConfigPath({ HOME: '/home/ana' }, 'linux')).toBe('/home/ana/.config/ferry/workspace.json');
  });

  it('uses the platform app-config folder on macOS and Windows', () => {
    expect(defaultConfigPath({ HOME: '/Users/ana' }, 'darwin')).toBe('/Users/ana/Library/Application Support/Ferry/workspace.json');
    expect(defaultConfigPath({ APPDATA: '/c/Users/ana/AppData/Roaming', HOME: '/c/Users/ana' }, 'win32')).toBe(join('/c/Users/ana/AppData/Roaming', 'Ferry', 'workspace.json'));
  });
});

describe('readWorkspaceFile', () => {
  it('reports a missing file as not existing, without problems', async () => {
    const view = await readWorkspaceFile(join(dir, 'none.json'));
    expect(view).toEqual({ path: join(dir, 'none.json'), exists: false, config: {}, problems: [] });
  });

  it('names the line and column of a JSON syntax error', async () => {
    const path = await write('workspace.json', '{\n  "bucket": "team-bucket",\n  "prefix": "teams/",\n  "region": emea\n}\n');
    const view = await readWorkspaceFile(path);
    expect(view.exists).toBe(true);
    expect(view.problems).toEqual(['workspace.json line 4, column 13: expected a value but found "e"']);
  });

  it('names a trailing comma precisely', async () => {
    const path = await write('workspace.json', '{\n  "bucket": "team-bucket",\n}\n');
    expect((await readWorkspaceFile(path)).problems).toEqual(['workspace.json line 3, column 1: remove the trailing comma before "}"']);
  });

  it('names unknown, wrong-typed and missing fields, and keeps the readable ones', async () => {
    const path = await write('workspace.json', JSON.stringify({ ...VALID, annotator: undefined, bukket: 'x', forcePathStyle: 'yes', awsRegion: 'Europe' }));
    const view = await readWorkspaceFile(path);
    expect(view.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^unknown field "bukket" \(allowed: bucket, prefix/),
        expect.stringMatching(/^forcePathStyle: .*boolean/),
        'awsRegion: an AWS region such as eu-west-1',
        'annotator: this required field is missing',
      ]),
    );
    expect(view.problems).toHaveLength(4);
    expect(view.config).toEqual({ bucket: 'team-bucket', prefix: 'teams/emea/', region: 'emea', dataDir: 'data' });
  });

  it('says so when the file is not a JSON object', async () => {
    const path = await write('workspace.json', '["bucket"]');
    expect((await readWorkspaceFile(path)).problems[0]).toMatch(/^workspace\.json: expected a JSON object with the fields bucket, prefix/);
  });

  it('returns a valid file with defaults filled in', async () => {
    const path = await write('workspace.json', JSON.stringify({ bucket: 'b-1', annotator: 'ana', region: 'emea', dataDir: 'd' }));
    const view = await readWorkspaceFile(path);
    expect(view.problems).toEqual([]);
    expect(view.config).toEqual({ bucket: 'b-1', annotator: 'ana', region: 'emea', dataDir: 'd', prefix: '', awsRegion: 'us-east-1', forcePathStyle: false });
  });
});

describe('loadWorkspaceConfig', () => {
  it('throws config-missing with what to do', async () => {
    const path = join(dir, 'none.json');
    const error = await loadError(path);
    expect(error.code).toBe('config-missing');
    expect(error.message).toBe(`No workspace file at ${path}. Create one with \`ferry init\` or the Settings screen, or pass --config FILE.`);
  });

  it('throws config-invalid naming the file and every bad field', async () => {
    const path = await write('workspace.json', JSON.stringify({ ...VALID, bucket: 'b', region: 'EMEA' }));
    const error = await loadError(path);
    expect(error.code).toBe('config-invalid');
    expect(error.message).toContain(path);
    expect(error.message).toContain('bucket: a bucket name of at least 3 characters');
    expect(error.message).toContain('region: a team region such as "emea"');
  });

  it('resolves a relative dataDir against the config file folder, and expands ~', async () => {
    const path = await write('workspace.json', JSON.stringify(VALID));
    expect((await loadWorkspaceConfig(path)).dataDir).toBe(join(dir, 'data'));
    await writeFile(path, JSON.stringify({ ...VALID, dataDir: '~/ferry-data' }));
    expect((await loadWorkspaceConfig(path)).dataDir).toBe(join(homedir(), 'ferry-data'));
    await writeFile(path, JSON.stringify({ ...VALID, dataDir: '/abs/data' }));
    expect((await loadWorkspaceConfig(path)).dataDir).toBe('/abs/data');
  });
});

describe('saveWorkspaceFile', () => {
  it('creates the folder, writes 2-space JSON with mode 0600, and reads back the same settings', async () => {
    const path = join(dir, 'nested', 'ferry', 'workspace.json');
    const view = await saveWorkspaceFile(path, { ...VALID, endpoint: 'http://127.0.0.1:9000', forcePathStyle: true, profile: 'team-emea' });
    expect(view.problems).toEqual([]);
    expect(view.config).toMatchObject({ ...VALID, endpoint: 'http://127.0.0.1:9000', forcePathStyle: true, profile: 'team-emea' });
    const text = await readFile(path, 'utf8');
    expect(text).toBe(`${JSON.stringify(view.config, null, 2)}\n`);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, 'nested', 'ferry'))).toEqual(['workspace.json']);
    const again = await saveWorkspaceFile(path, { ...VALID, annotator: 'bob' });
    expect(again.config.annotator).toBe('bob');
  });

  it('refuses invalid settings without touching the existing file', async () => {
    const path = join(dir, 'workspace.json');
    await saveWorkspaceFile(path, VALID);
    const before = await readFile(path, 'utf8');
    await expect(saveWorkspaceFile(path, { ...VALID, awsRegion: 'mars' })).rejects.toMatchObject({ code: 'config-invalid', message: expect.stringContaining('awsRegion: an AWS region') });
    expect(await readFile(path, 'utf8')).toBe(before);
  });
});
