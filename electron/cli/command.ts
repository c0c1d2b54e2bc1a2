// A CLI command is a small registered object (name, usage, run), one file each under commands/.
import type { ParseArgsConfig } from 'node:util';
import type { CliIo } from './io.ts';

export type Options = NonNullable<ParseArgsConfig['options']>;

export type ParsedArgs = {
  readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  readonly positionals: readonly string[];
  readonly configPath: string;
  readonly json: boolean;
};

export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly options?: Options;
  readonly allowPositionals?: boolean;
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

// Exit codes: 0 done, 1 the operation failed (message printed), 2 the command line itself is wrong.
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
