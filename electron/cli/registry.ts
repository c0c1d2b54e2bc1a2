// Every CLI command, in the order `ferry help` lists them.
import type { CliCommand } from './command.ts';
import { initCommand } from './commands/init.ts';
import { doctorCommand } from './commands/doctor.ts';
import { webCommand } from './commands/web.ts';
import { projectCommand } from './commands/project.ts';
import { batchesCommand } from './commands/batches.ts';
import { progressCommand } from './commands/progress.ts';
import { claimsCommand } from './commands/claims.ts';
import { getBatchCommand } from './commands/get-batch.ts';
import { annotateCommand } from './commands/annotate.ts';
import { submitCommand } from './commands/submit.ts';
import { statusCommand } from './commands/status.ts';
import { syncCommand } from './commands/sync.ts';
import { demoCommand } from './commands/demo.ts';

export const commands: readonly CliCommand[] = [
  initCommand,
  doctorCommand,
  getBatchCommand,
  annotateCommand,
  submitCommand,
  statusCommand,
  syncCommand,
  projectCommand,
  batchesCommand,
  progressCommand,
  claimsCommand,
  webCommand,
  demoCommand,
];
