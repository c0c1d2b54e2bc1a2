// Which better_sqlite3.node to load: Node uses the one npm built; Electron needs one built for its ABI.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { FerryError } from '../../shared/result.ts';

export const SQLITE_BINDING_ENV = 'FERRY_SQLITE_BINDING';

// The loaded addon, passed to better-sqlite3 as its `nativeBinding` object.
export type SqliteAddon = { readonly path: string; readonly addon: object };

const loaded = new Map<string, object>();

function rebuildHint(path: string, cause: string): FerryError {
  return new FerryError(
    'internal',
    `Ferry's SQLite module ${path} cannot be loaded by this runtime (it was built for another Node.js/Electron version or platform, or is damaged). Rebuild it as described in docs/native-modules.md.`,
    cause,
  );
}

// FERRY_SQLITE_BINDING wins (debugging a custom build), then the host's path; undefined = better-sqlite3's default.
export function resolveSqliteBinding(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env[SQLITE_BINDING_ENV];
  const chosen = fromEnv !== undefined && fromEnv !== '' ? fromEnv : explicit;
  if (chosen === undefined) return undefined;
  if (!existsSync(chosen)) {
    const source = chosen === fromEnv ? SQLITE_BINDING_ENV : 'the app package';
    throw new FerryError('internal', `Ferry's SQLite module is missing: ${chosen} (set by ${source}) does not exist. Reinstall Ferry, or rebuild it as described in docs/native-modules.md.`);
  }
  return resolve(chosen);
}

// process.dlopen is what require() does for .node files, and works the same from ESM, CJS and Electron.
export function loadSqliteAddon(path: string): SqliteAddon {
  const cached = loaded.get(path);
  if (cached !== undefined) return { path, addon: cached };
  const module = { exports: {} as object };
  try {
    process.dlopen(module, path);
  } catch (error) {
    throw rebuildHint(path, error instanceof Error ? error.message : String(error));
  }
  loaded.set(path, module.exports);
  return { path, addon: module.exports };
}

// The default build is found by better-sqlite3 itself; a wrong-ABI one fails with NODE_MODULE_VERSION.
export function explainDefaultBindingFailure(error: unknown): FerryError | undefined {
  const message = error instanceof Error ? error.message : String(error);
  if (!/NODE_MODULE_VERSION|Could not locate the bindings file|invalid ELF header|not a valid Win32 application|mach-o/i.test(message)) return undefined;
  return rebuildHint('node_modules/better-sqlite3/build/Release/better_sqlite3.node', message);
}
