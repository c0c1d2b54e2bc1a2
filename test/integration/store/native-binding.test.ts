// The nativeBinding path (how the Electron shell loads its Electron-ABI build) and the FERRY_SQLITE_BINDING override.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MIGRATIONS } from '../../../electron/store/migrations/index.ts';
import { openStore } from '../../../electron/store/store.ts';
import { FerryError } from '../../../shared/result.ts';
import { useTempDir } from './temp-dir.ts';

const tempDir = useTempDir();
const require = createRequire(import.meta.url);
const NODE_BUILD = join(dirname(require.resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');

function openError(path: string, nativeBinding?: string): FerryError {
  try {
    openStore(path, nativeBinding === undefined ? {} : { nativeBinding }).close();
  } catch (error) {
    if (error instanceof FerryError) return error;
    throw error;
  }
  throw new Error('expected openStore to fail');
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('nativeBinding', () => {
  it('loads the module from an explicit path', () => {
    const store = openStore(join(tempDir(), 'ferry.db'), { nativeBinding: NODE_BUILD });
    expect(store.quickCheck()).toBe('ok');
    store.close();
  });

  it('names a missing module and where the path came from', () => {
    const error = openError(join(tempDir(), 'ferry.db'), '/nowhere/better_sqlite3.node');
    expect(error.message).toMatch(/SQLite module is missing: \/nowhere\/better_sqlite3\.node \(set by the app package\)/);
    expect(error.message).toContain('docs/native-modules.md');
  });

  it('explains a module that cannot be loaded by this runtime instead of a bare dlopen error', () => {
    const dir = tempDir();
    const fake = join(dir, 'better_sqlite3.node');
    writeFileSync(fake, 'not a shared library, like a build for another platform');
    const error = openError(join(dir, 'ferry.db'), fake);
    expect(error.message).toMatch(/cannot be loaded by this runtime/);
    expect(error.message).toContain(fake);
    expect(error.detail).toBeTruthy();
  });

  it('lets FERRY_SQLITE_BINDING override the path the host passes', () => {
    const dir = tempDir();
    vi.stubEnv('FERRY_SQLITE_BINDING', join(dir, 'custom.node'));
    const error = openError(join(dir, 'ferry.db'), NODE_BUILD);
    expect(error.message).toContain(`${join(dir, 'custom.node')} (set by FERRY_SQLITE_BINDING)`);
    vi.stubEnv('FERRY_SQLITE_BINDING', NODE_BUILD);
    const store = openStore(join(dir, 'ferry.db'), { nativeBinding: '/nowhere/better_sqlite3.node' });
    expect(store.schemaVersion()).toBe(MIGRATIONS.length);
    store.close();
  });
});
