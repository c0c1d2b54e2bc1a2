// Produces build/native/electron/better_sqlite3.node: better-sqlite3 built for the installed Electron's ABI,
// without touching node_modules (whose Node build the CLI, tests and web host keep using).
// Needs network: @electron/rebuild downloads the prebuilt binary from better-sqlite3's GitHub releases, or
// (with --from-source, or when no prebuild exists) Electron's headers, then compiles with node-gyp.
//   node build/electron-sqlite.mjs [--arch x64|arm64] [--platform linux|darwin|win32] [--from-source]
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(join(root, 'package.json'));
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const arch = option('--arch', process.arch);
const platform = option('--platform', process.platform);
const fromSource = args.includes('--from-source');

const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const electronAbi = readFileSync(join(dirname(require.resolve('electron/package.json')), 'abi_version'), 'utf8').trim();
const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'));
const sqliteVersion = JSON.parse(readFileSync(join(sqliteDir, 'package.json'), 'utf8')).version;
// @electron/rebuild comes with electron-builder (app-builder-lib depends on it).
const rebuildCli = join(root, 'node_modules', '@electron', 'rebuild', 'lib', 'cli.js');
if (!existsSync(rebuildCli)) {
  console.error(`${rebuildCli} not found: run "npm ci" first (electron-builder brings @electron/rebuild).`);
  process.exit(1);
}
const outDir = join(root, 'build', 'native', 'electron');

const work = mkdtempSync(join(tmpdir(), 'ferry-electron-sqlite-'));
try {
  // A throw-away project holding a copy of better-sqlite3, so the rebuild happens there and not in node_modules.
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'ferry-electron-sqlite', private: true, dependencies: { 'better-sqlite3': sqliteVersion } }));
  cpSync(sqliteDir, join(work, 'node_modules', 'better-sqlite3'), { recursive: true, filter: (src) => !src.startsWith(join(sqliteDir, 'build')) });
  console.log(`building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (ABI ${electronAbi}) ${platform}-${arch}${fromSource ? ' from source' : ''}`);
  const rebuild = spawnSync(
    process.execPath,
    [rebuildCli, '--version', electronVersion, '--module-dir', work, '--only', 'better-sqlite3', '--force', '--arch', arch, '--platform', platform, ...(fromSource ? ['--build-from-source'] : [])],
    { stdio: 'inherit', cwd: work },
  );
  const built = join(work, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  if (rebuild.status !== 0 || !existsSync(built)) {
    console.error(`\n@electron/rebuild did not produce ${built} (exit ${rebuild.status}). It needs network access to github.com (prebuilt binaries) or to Electron's header server plus python3 and a C++ toolchain (--from-source). See docs/native-modules.md.`);
    process.exit(1);
  }
  mkdirSync(outDir, { recursive: true });
  copyFileSync(built, join(outDir, 'better_sqlite3.node'));
  // build/before-pack.mjs compares this with what electron-builder is about to package.
  writeFileSync(join(outDir, 'binding.json'), `${JSON.stringify({ electron: electronVersion, abi: electronAbi, betterSqlite3: sqliteVersion, platform, arch, fromSource, builtAt: new Date().toISOString() }, null, 2)}\n`);
  console.log(`wrote ${join(outDir, 'better_sqlite3.node')}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
