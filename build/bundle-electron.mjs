// Bundles the Electron main process and preload with esbuild (no Electron binary needed).
//   node build/bundle-electron.mjs [--outdir DIR] [--minify] [--metafile FILE]
// main.cjs: the shell + the whole core (AWS SDK, zod, ws, ...) in one file; electron and better-sqlite3 stay
// external (better-sqlite3 loads a native module; in Electron its Electron-ABI build, see docs/native-modules.md).
// preload.cjs: a sandboxed preload may only require('electron'), so everything else is inlined.
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// Electron 45 runs Node 22 in main and Chromium 140 in renderers.
const NODE_TARGET = 'node22';
const CHROME_TARGET = 'chrome140';

// esbuild leaves import.meta empty in CJS; core modules that use import.meta.url get this file's URL instead.
const IMPORT_META_SHIM = 'var __ferry_import_meta_url = require("node:url").pathToFileURL(__filename).href;';

export async function bundleElectron({ outdir = resolve(root, 'dist/electron'), minify = false, logLevel = 'warning' } = {}) {
  const common = { bundle: true, format: 'cjs', outExtension: { '.js': '.cjs' }, outdir, platform: 'node', sourcemap: 'linked', minify, logLevel, absWorkingDir: root, metafile: true, legalComments: 'none' };
  const [main, preload] = await Promise.all([
    build({
      ...common,
      entryPoints: { main: 'electron/main.ts' },
      target: NODE_TARGET,
      external: ['electron', 'better-sqlite3'],
      banner: { js: IMPORT_META_SHIM },
      define: { 'import.meta.url': '__ferry_import_meta_url' },
    }),
    build({
      ...common,
      entryPoints: { preload: 'electron/preload.ts' },
      target: [NODE_TARGET, CHROME_TARGET],
      external: ['electron'],
    }),
  ]);
  return { outdir, main: resolve(outdir, 'main.cjs'), preload: resolve(outdir, 'preload.cjs'), warnings: [...main.warnings, ...preload.warnings], metafiles: { main: main.metafile, preload: preload.metafile } };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const outdir = option('--outdir');
  const result = await bundleElectron({ ...(outdir ? { outdir: resolve(outdir) } : {}), minify: args.includes('--minify') }).catch(() => {
    // esbuild has already printed each error with its file and line.
    process.exit(1);
  });
  // What each bundle imports (externals included), for checks such as test/unit/shell/bundle.test.ts.
  const metafile = option('--metafile');
  if (metafile) writeFileSync(resolve(metafile), JSON.stringify(result.metafiles));
  console.log(`bundled ${result.main} and ${result.preload}${result.warnings.length > 0 ? ` (${result.warnings.length} warnings)` : ''}`);
}
