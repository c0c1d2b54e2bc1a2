// Once per run: build the renderer the web host serves, and start one moto_server; the returned function tears it down.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { startMoto } from '../helpers/moto.ts';

const repo = resolve(import.meta.dirname, '../..');

function buildRenderer(): void {
  const build = spawnSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: repo, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`Building the renderer failed (npx vite build --config renderer/vite.config.ts):\n${build.stdout}\n${build.stderr}`);
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  buildRenderer();
  const moto = await startMoto();
  // Workers start after global setup and inherit this environment.
  process.env.FERRY_TEST_S3_ENDPOINT = moto.endpoint;
  return async function globalTeardown() {
    await moto.stop();
  };
}
