// The errors a Prodigy process can end in; each carries what the UI shows (exit, last output lines).
import { FerryError } from '../../shared/result.ts';

export type ProdigyExit = { readonly exitCode: number | null; readonly signal: NodeJS.Signals | null };

export function describeCommand(command: readonly string[], args: readonly string[] = []): string {
  return [...command, ...args].map((part) => (/^[\w@%+=:,./-]+$/.test(part) ? part : JSON.stringify(part))).join(' ');
}

export function describeExit(exit: ProdigyExit): string {
  return exit.signal ? `was stopped by ${exit.signal}` : `exited with code ${exit.exitCode}`;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

// The line that says what went wrong: Prodigy's "✘ message" (details follow it) or a traceback's last "XError: …".
export function telltaleLine(lines: readonly string[]): string | undefined {
  const marked = [...lines].reverse().find((line) => /^\s*(✘|\u2718)/.test(line));
  const errorLine = [...lines].reverse().find((line) => /\b(error|exception)\b|^\w*(Error|Exception):/i.test(line));
  return (marked ?? errorLine ?? lines.at(-1))?.replace(/^\s*(✘|\u2718)\s*/, '').trim();
}

export function notFoundError(command: readonly string[], cause: string): FerryError {
  const name = command[0] ?? '(empty)';
  return new FerryError(
    'prodigy-not-found',
    `Ferry could not run Prodigy: "${name}" ${cause}. Set prodigyCommand in Settings to the command that starts Prodigy (for example ["python3", "-m", "prodigy"]), or install Prodigy.`,
    `command: ${describeCommand(command)}`,
  );
}

// Prodigy ran but failed (bad exit, exited before ready, never became ready): the exit and last output lines travel along.
export class ProdigyProcessError extends FerryError {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly lastLines: readonly string[];
  constructor(message: string, exit: ProdigyExit, lastLines: readonly string[]) {
    super('prodigy-failed', message, lastLines.join('\n'));
    this.name = 'ProdigyProcessError';
    this.exitCode = exit.exitCode;
    this.signal = exit.signal;
    this.lastLines = lastLines;
  }
}
