// electron-builder beforePack hook: refuse to package without an Electron-ABI SQLite module for this target,
// because the app would start and then fail on its first database access.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NATIVE_DIR = fileURLToPath(new URL('./native/electron/', import.meta.url));
// electron-builder's Arch enum (builder-util): the numbers in context.arch.
const ARCH_NAMES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

export function checkElectronSqlite({ electronVersion, platform, arch, nativeDir = NATIVE_DIR }) {
  const fix = `Run "node build/electron-sqlite.mjs --platform ${platform} --arch ${arch}" (needs network; see docs/native-modules.md).`;
  const info = join(nativeDir, 'binding.json');
  if (!existsSync(join(nativeDir, 'better_sqlite3.node')) || !existsSync(info)) return `build/native/electron/better_sqlite3.node is missing. ${fix}`;
  const built = JSON.parse(readFileSync(info, 'utf8'));
  const mismatches = [
    ['Electron', built.electron, electronVersion],
    ['platform', built.platform, platform],
    ['arch', built.arch, arch],
  ].filter(([, have, want]) => have !== want);
  if (mismatches.length === 0) return undefined;
  return `build/native/electron/better_sqlite3.node was built for ${mismatches.map(([what, have, want]) => `${what} ${have} (packaging needs ${want})`).join(', ')}. ${fix}`;
}

export async function beforePack(context) {
  const problem = checkElectronSqlite({
    electronVersion: context.packager.info.framework.version,
    platform: context.electronPlatformName,
    arch: ARCH_NAMES[context.arch] ?? String(context.arch),
  });
  if (problem !== undefined) throw new Error(problem);
}

export default beforePack;
