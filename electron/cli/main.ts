// Entry of the `ferry` command line: global options, then one registered command.
import { parseArgs } from 'node:util';
import { FerryError } from '../../shared/result.ts';
import { defaultConfigPath } from '../config/workspace-file.ts';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CliCommand, type Options } from './command.ts';
import { processIo, writeLine, writeJson, type CliIo } from './io.ts';
import { ferryVersion } from './version.ts';
import { commands } from './registry.ts';

const GLOBAL_OPTIONS: Options = {
  config: { type: 'string', short: 'c' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    `ferry ${ferryVersion()} — moves annotation work between your team's S3 bucket and Prodigy.`,
    '',
    'Usage: ferry <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Every command takes --config FILE (or FERRY_CONFIG) naming the workspace file,',
    'and --json for machine-readable output where it prints a result.',
    'Run `ferry help <command>` for a command\'s options.',
  ].join('\n');
}

function findCommand(name: string | undefined): CliCommand | undefined {
  return commands.find((c) => c.name === name);
}

export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [first, ...rest] = argv;
  if (first === '--version' || first === '-v' || first === 'version') {
    writeLine(io.stdout, ferryVersion());
    return EXIT_OK;
  }
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
    const topic = findCommand(rest[0]);
    writeLine(io.stdout, topic ? `${topic.summary}\n\nUsage: ${topic.usage}` : helpText());
    return EXIT_OK;
  }
  const command = findCommand(first);
  if (!command) {
    writeLine(io.stderr, `ferry: unknown command "${first}". Run \`ferry help\` to see the commands.`);
    return EXIT_USAGE;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
    });
  } catch (error) {
    writeLine(io.stderr, `ferry ${command.name}: ${(error as Error).message}\nUsage: ${command.usage}`);
    return EXIT_USAGE;
  }
  if (parsed.values.help) {
    writeLine(io.stdout, `${command.summary}\n\nUsage: ${command.usage}`);
    return EXIT_OK;
  }
  const configPath = typeof parsed.values.config === 'string' ? parsed.values.config : io.env.FERRY_CONFIG ?? defaultConfigPath();
  const json = parsed.values.json === true;
  try {
    return await command.run({ values: parsed.values, positionals: parsed.positionals, configPath, json }, io);
  } catch (error) {
    return reportFailure(error, json, io);
  }
}

export function reportFailure(error: unknown, json: boolean, io: CliIo): number {
  const shape = error instanceof FerryError ? error.toShape() : { code: 'internal', message: (error as Error).message ?? String(error) };
  if (json) writeJson(io.stdout, { ok: false, error: shape });
  writeLine(io.stderr, `ferry: ${shape.message}`);
  if (error instanceof FerryError && error.detail && io.env.FERRY_DEBUG) writeLine(io.stderr, error.detail);
  return EXIT_FAILED;
}
