// Each benchmark's scratch: a temp folder and its own loopback moto_server, both removed at the end or on Ctrl-C.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMoto, type MotoServer } from '../../test/helpers/moto.ts';
import { assertLoopback } from './process.ts';

export type Scratch = { readonly moto: MotoServer; readonly workDir: string };

let moto: MotoServer | undefined;
let workDir: string | undefined;
let signalsHooked = false;

export async function closeScratch(): Promise<void> {
  await moto?.stop();
  moto = undefined;
  if (workDir) await rm(workDir, { recursive: true, force: true });
  workDir = undefined;
}

export async function openScratch(folderPrefix: string): Promise<Scratch> {
  if (!signalsHooked) {
    signalsHooked = true;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void closeScratch().finally(() => process.exit(130)));
  }
  workDir = await mkdtemp(join(tmpdir(), folderPrefix));
  moto = await startMoto();
  assertLoopback(moto.endpoint);
  return { moto, workDir };
}
