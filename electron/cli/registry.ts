// Every CLI command, in the order `ferry help` lists them.
import type { CliCommand } from './command.ts';
import { initCommand } from './commands/init.ts';
import { doctorCommand } from './commands/doctor.ts';
import { webCommand } from './commands/web.ts';

export const commands: readonly CliCommand[] = [initCommand, doctorCommand, webCommand];
