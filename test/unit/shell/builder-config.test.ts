// electron-builder.yml as electron-builder itself reads and validates it, and the beforePack guard that keeps a
// package from shipping without an Electron-ABI SQLite module.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkElectronSqlite } from '../../../build/before-pack.mjs';

const require = createRequire(import.meta.url);
type BuilderConfig = Record<string, unknown> & { electronFuses?: Record<string, boolean>; extraResources?: { from: string; to: string }[]; files?: { filter: string[] }[] };
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const root = resolve('.');
const scratch = mkdtempSync(join(tmpdir(), 'ferry-builder-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function loadConfig(): Promise<BuilderConfig> {
  return await getConfig(root, join(root, 'electron-builder.yml'), null);
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema validation", async () => {
    await expect(validateConfiguration(await loadConfig(), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('the validator does reject a wrong config (so the check above means something)', async () => {
    const broken = { ...(await loadConfig()), electronFuses: { runAsNode: 'no' } } as unknown as BuilderConfig;
    await expect(validateConfiguration(broken, new DebugLogger(false))).rejects.toThrow(/electronFuses/);
  });

  it('flips the security fuses', async () => {
    expect((await loadConfig()).electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('ships the bundles and the Electron-ABI SQLite module, never the Prodigy stand-in or tests, and never rebuilds node_modules', async () => {
    const config = await loadConfig();
    expect(config.appId).toBe('dev.ferry.app');
    expect(config.productName).toBe('Ferry');
    // electron-builder normalises the list into one file set.
    const files = config.files?.flatMap((set) => set.filter) ?? [];
    expect(files).toEqual(expect.arrayContaining(['dist/electron/**', 'dist/renderer/**', 'package.json', '!node_modules/better-sqlite3/build/**']));
    expect(files.filter((f) => !f.startsWith('!')).every((f) => f === 'package.json' || f.startsWith('dist/electron/') || f.startsWith('dist/renderer/'))).toBe(true);
    expect(config.extraResources).toEqual([{ from: 'build/native/electron/better_sqlite3.node', to: 'native/better_sqlite3.node' }]);
    expect(config.npmRebuild).toBe(false);
    expect(config.beforePack).toBe('./build/before-pack.mjs');
    expect(config.mac).toMatchObject({ target: 'dmg', hardenedRuntime: true, entitlements: 'build/entitlements.mac.plist' });
    expect(config.linux).toMatchObject({ target: ['AppImage', 'deb'] });
    expect(config.win).toMatchObject({ target: 'nsis' });
  });
});

describe('beforePack: checkElectronSqlite', () => {
  const target = { electronVersion: '45.5.0', platform: 'linux', arch: 'x64' };

  it('refuses to package without the module, saying how to build it', () => {
    expect(checkElectronSqlite({ ...target, nativeDir: join(scratch, 'none') })).toMatch(/better_sqlite3\.node is missing\. Run "node build\/electron-sqlite\.mjs --platform linux --arch x64"/);
  });

  it('accepts a module built for this Electron, platform and arch, and names each mismatch otherwise', () => {
    writeFileSync(join(scratch, 'better_sqlite3.node'), 'binary');
    writeFileSync(join(scratch, 'binding.json'), JSON.stringify({ electron: '45.5.0', platform: 'linux', arch: 'x64' }));
    expect(checkElectronSqlite({ ...target, nativeDir: scratch })).toBeUndefined();
    expect(checkElectronSqlite({ electronVersion: '46.0.0', platform: 'darwin', arch: 'x64', nativeDir: scratch })).toMatch(/built for Electron 45\.5\.0 \(packaging needs 46\.0\.0\), platform linux \(packaging needs darwin\)/);
  });
});
