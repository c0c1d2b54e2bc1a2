// Times every contender `runs` times, each run in a fresh folder removed afterwards, the order rotated per round.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

export type RoundOutcome = { readonly ok: true; readonly ms: number } | { readonly ok: false; readonly problem: string };
export type RoundContender<T extends RoundOutcome> = { readonly tool: string; run(dir: string): Promise<T> };

export async function runRounds<T extends RoundOutcome>(contenders: readonly RoundContender<T>[], runs: number, workDir: string, log: (line: string) => void): Promise<Map<string, T[]>> {
  const outcomes = new Map<string, T[]>(contenders.map((c) => [c.tool, []]));
  for (let round = 0; round < runs; round += 1) {
    // Rotate who goes first, so neither a warming server nor a busy neighbour favours one tool.
    const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]!);
    for (const contender of order) {
      const dir = join(workDir, `${contender.tool}-${round}`);
      const outcome = await contender.run(dir);
      outcomes.get(contender.tool)!.push(outcome);
      const seen: RoundOutcome = outcome;
      log(`round ${round + 1}/${runs} ${contender.tool}: ${seen.ok ? `${seen.ms.toFixed(0)} ms` : `FAILED — ${seen.problem}`}`);
      await rm(dir, { recursive: true, force: true });
    }
  }
  return outcomes;
}
