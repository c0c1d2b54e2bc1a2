// `ferry get-batch`: claims the next batch of my region and pulls it, printing progress on stderr.
import type { ProgressEvent } from '../../../shared/api.ts';
import { EXIT_OK, type CliCommand } from '../command.ts';
import { writeJson, writeLine } from '../io.ts';
import { cliCore } from '../run-core.ts';

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

export function progressLine(p: ProgressEvent): string {
  return `pulling ${p.id}: ${p.filesDone}/${p.filesTotal} files, ${mib(p.bytesDone)} of ${mib(p.bytesTotal)}`;
}

export const getBatchCommand: CliCommand = {
  name: 'get-batch',
  summary: 'Claim the next batch for your region and pull it to this computer.',
  usage: 'ferry get-batch [--project P] [--json] [--config FILE]',
  options: { project: { type: 'string' } },
  async run(args, io) {
    const core = cliCore(args.configPath);
    const off = core.on('progress', (p) => writeLine(io.stderr, progressLine(p)));
    try {
      const project = typeof args.values.project === 'string' ? args.values.project : undefined;
      const batch = await core.annotator.claimNext(project);
      if (args.json) {
        writeJson(io.stdout, { batch: batch.batch, id: batch.id, project: batch.project, region: batch.region, tasks: batch.total, recipe: batch.recipe, leaseUntil: batch.leaseUntil });
      } else {
        writeLine(io.stdout, `Claimed ${batch.id}: ${batch.total} tasks (${batch.recipe}), yours until ${batch.leaseUntil}.`);
        writeLine(io.stdout, `Next: ferry annotate ${batch.batch}`);
      }
      return EXIT_OK;
    } finally {
      off();
      await core.close();
    }
  },
};
