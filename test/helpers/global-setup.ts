// Vitest global setup: one moto_server for the whole run; each test makes its own bucket (see s3-fixture.ts).
import type { TestProject } from 'vitest/node';
import { startMoto, type MotoServer } from './moto.ts';

let moto: MotoServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  moto = await startMoto();
  project.provide('s3Endpoint', moto.endpoint);
}

export async function teardown(): Promise<void> {
  await moto?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    s3Endpoint: string;
  }
}
