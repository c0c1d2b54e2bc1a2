// Where the shell finds its pieces, in a dev checkout and in a packaged app (plain Node, unit-tested).
import { join } from 'node:path';

export type ShellPaths = {
  readonly rendererDir: string;
  readonly rendererEntry: string;
  readonly preload: string;
  readonly icon: string;
  // better_sqlite3.node built for Electron's ABI (docs/native-modules.md); shipped via extraResources.
  readonly sqliteBinding: string;
  readonly defaultConfig: string;
};

export type ShellLocation = { readonly appPath: string; readonly isPackaged: boolean; readonly resourcesPath: string; readonly userData: string };

export function shellPaths(at: ShellLocation): ShellPaths {
  const rendererDir = join(at.appPath, 'dist', 'renderer');
  return {
    rendererDir,
    rendererEntry: join(rendererDir, 'index.html'),
    preload: join(at.appPath, 'dist', 'electron', 'preload.cjs'),
    icon: join(at.appPath, 'build', 'icon.png'),
    sqliteBinding: at.isPackaged ? join(at.resourcesPath, 'native', 'better_sqlite3.node') : join(at.appPath, 'build', 'native', 'electron', 'better_sqlite3.node'),
    defaultConfig: join(at.userData, 'workspace.json'),
  };
}
