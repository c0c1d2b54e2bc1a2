// The Prodigy servers this app runs, one per open batch, each with its harvest loop.
import type { ProdigyServer } from '../prodigy/run-prodigy.ts';
import type { HarvestLoop } from '../harvest/harvest-loop.ts';

export type ProdigySession = {
  readonly batchId: string;
  readonly server: ProdigyServer;
  readonly harvest: HarvestLoop;
  readonly command: readonly string[];
  readonly kind: 'real' | 'stand-in';
};

export function prodigyKind(command: readonly string[]): 'real' | 'stand-in' {
  return command.some((part) => part.includes('prodigy-standin')) ? 'stand-in' : 'real';
}
