// `ferry web`: serves the app to a browser on 127.0.0.1 behind a random token, over the same core.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startWebHost } from '../../host/web-host.ts';
import { EXIT_OK, type CliCommand } from '../command.ts';
import { untilStopSignal, writeLine } from '../io.ts';
import { createCore } from '../../host/core.ts';
import { ferryVersion } from '../version.ts';
import { FerryError } from '../../../shared/result.ts';

export const RENDERER_DIST = fileURLToPath(new URL('../../../dist/renderer/', import.meta.url));

// A fresh checkout has no built UI yet; build it once with vite (a dev dependency) rather than fail.
export async function ensureRendererBuilt(io: { stderr: NodeJS.WritableStream }): Promise<string> {
  if (existsSync(`${RENDERER_DIST}index.html`)) return RENDERER_DIST;
  writeLine(io.stderr, 'Building the app UI once (dist/renderer)…');
  try {
    const vite = await import('vite');
    await vite.build({ configFile: fileURLToPath(new URL('../../../renderer/vite.config.ts', import.meta.url)), logLevel: 'warn' });
  } catch (error) {
    throw new FerryError('internal', `The app UI is not built and could not be built: ${(error as Error).message}. Run \`npm run build:renderer\`.`);
  }
  return RENDERER_DIST;
}

export function parsePort(value: unknown): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new FerryError('invalid-request', `--port must be a whole number from 0 to 65535, not "${String(value)}".`);
  }
  return port;
}

export const webCommand: CliCommand = {
  name: 'web',
  summary: 'Serve the Ferry app to your browser on 127.0.0.1 (prints a URL with a private token).',
  usage: 'ferry web [--port N] [--config FILE]',
  options: { port: { type: 'string', short: 'p' } },
  async run(args, io) {
    const port = parsePort(args.values.port);
    const distDir = await ensureRendererBuilt(io);
    const core = createCore({ configPath: args.configPath, host: 'web', version: ferryVersion() });
    const host = await startWebHost({ core, port, distDir });
    writeLine(io.stdout, `Ferry is running at ${host.url}`);
    writeLine(io.stdout, 'Open that address in your browser. Press Ctrl-C to stop.');
    await untilStopSignal();
    await host.close();
    await core.close();
    return EXIT_OK;
  },
};
