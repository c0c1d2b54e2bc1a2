// `ferry status`: the batches on this computer and what waits in the outbox.
import { EXIT_OK, type CliCommand } from '../command.ts';
import { writeJson, writeLine } from '../io.ts';
import { cliCore } from '../run-core.ts';

export const statusCommand: CliCommand = {
  name: 'status',
  summary: 'Show the batches on this computer and the answers waiting to be published.',
  usage: 'ferry status [--json] [--config FILE]',
  async run(args, io) {
    const core = cliCore(args.configPath);
    try {
      const status = await core.annotator.status();
      if (args.json) {
        writeJson(io.stdout, {
          batches: status.batches.map((b) => ({ id: b.id, status: b.status, answered: b.answered, total: b.total, unpublished: b.unpublished, lastSyncAt: b.lastSyncAt, error: b.error })),
          outbox: { pending: status.outbox.pending, failed: status.outbox.failed },
          prodigy: status.prodigy,
        });
        return EXIT_OK;
      }
      if (status.batches.length === 0) writeLine(io.stdout, 'No batches on this computer yet. Get one with `ferry get-batch`.');
      for (const b of status.batches) writeLine(io.stdout, `${b.id.padEnd(40)} ${b.status.padEnd(11)} ${b.answered}/${b.total}${b.error ? `  ! ${b.error}` : ''}`);
      writeLine(io.stdout, `Outbox: ${status.outbox.pending} waiting, ${status.outbox.failed} need attention.`);
      return EXIT_OK;
    } finally {
      await core.close();
    }
  },
};
