// Copies what an annotator saved in Prodigy (db-out of the batch's dataset) into Ferry's store, idempotently,
// so nothing accepted in Prodigy is lost even if Prodigy, the app or the machine dies later (invariant 1).
import { FerryError } from '../../shared/result.ts';
import { ProdigyProcessError, telltaleLine } from '../prodigy/prodigy-errors.ts';
import { logProdigy } from '../prodigy/prodigy-log.ts';
import { runProdigyCommand } from '../prodigy/run-prodigy.ts';
import type { Store } from '../store/store.ts';
import { parseDbOut, type DbOutProblem } from './parse-db-out.ts';

export type HarvestStore = Pick<Store, 'recordAnswers' | 'countAnswers'>;

export type HarvestOptions = {
  readonly command: readonly string[]; // from resolveProdigyCommand
  readonly home: string; // the batch's PRODIGY_HOME (the one its server runs with)
  readonly dataset: string;
  readonly batchId: string; // store id "project/region/batch"
  readonly annotator: string; // the session name: examples of session DATASET-ANNOTATOR are kept
  readonly store: HarvestStore;
  readonly signal?: AbortSignal;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number; // default 120 s
};

export type HarvestResult = {
  readonly examples: number; // this annotator's examples in the export (one per task)
  readonly inserted: number; // new in the store
  readonly updated: number; // changed answers (new revision)
  readonly answered: number; // answers the store now holds for the batch
};

// Bad lines of the export: the good ones were recorded (result), the bad ones are named here.
export class MalformedExportError extends FerryError {
  readonly result: HarvestResult;
  readonly problems: readonly DbOutProblem[];
  constructor(dataset: string, problems: readonly DbOutProblem[], result: HarvestResult) {
    const first = problems[0];
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more line${problems.length > 2 ? 's' : ''})` : '';
    super(
      'malformed-input',
      `db-out of ${dataset} line ${first?.line}: ${first?.reason}${more}. Ferry kept the ${result.examples} good answer${result.examples === 1 ? '' : 's'}; the bad line${problems.length > 1 ? 's were' : ' was'} skipped.`,
      problems.map((p) => `db-out of ${dataset} line ${p.line}: ${p.reason}`).join('\n'),
    );
    this.name = 'MalformedExportError';
    this.result = result;
    this.problems = problems;
  }
}

const DEFAULT_TIMEOUT_MS = 120_000;
// Prodigy's wording for a dataset that was never saved to ("Can't find 'X' in database SQLite").
const UNKNOWN_DATASET = /Can't find '([^']+)' in database/;

function isUnknownDataset(text: string, dataset: string): boolean {
  const match = UNKNOWN_DATASET.exec(text);
  return match !== null && match[1] === dataset;
}

export async function harvestAnswers(options: HarvestOptions): Promise<HarvestResult> {
  const started = Date.now();
  const output = await runProdigyCommand(options.command, ['db-out', options.dataset], {
    home: options.home,
    env: options.env,
    signal: options.signal,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    okExitCodes: [0, 1], // 1 may just mean "nothing saved yet"; decided below
    operation: 'db-out',
  });
  if (output.exitCode !== 0) {
    // Nothing annotated yet: Prodigy creates the dataset on the first save.
    if (isUnknownDataset(`${output.stderr}\n${output.stdout}`, options.dataset)) {
      return { examples: 0, inserted: 0, updated: 0, answered: options.store.countAnswers(options.batchId).total };
    }
    const lines = `${output.stderr}\n${output.stdout}`.split('\n').filter((l) => l.trim().length > 0).slice(-20);
    throw new ProdigyProcessError(`Prodigy db-out ${options.dataset} exited with code ${output.exitCode}: ${telltaleLine(lines) ?? 'no output'}`, { exitCode: output.exitCode, signal: null }, lines);
  }
  const parsed = parseDbOut(output.stdout, options.dataset, options.annotator);
  const recorded = parsed.answers.length > 0 ? options.store.recordAnswers(options.batchId, options.annotator, parsed.answers) : { inserted: 0, updated: 0 };
  const result: HarvestResult = {
    examples: parsed.answers.length,
    inserted: recorded.inserted,
    updated: recorded.updated,
    answered: options.store.countAnswers(options.batchId).total,
  };
  logProdigy({
    operation: 'harvest',
    event: 'harvest',
    ms: Date.now() - started,
    message: `${options.batchId}: ${result.examples} examples, ${result.inserted} new, ${result.updated} changed, ${parsed.problems.length} bad lines`,
  });
  if (parsed.problems.length > 0) throw new MalformedExportError(options.dataset, parsed.problems, result);
  return result;
}
