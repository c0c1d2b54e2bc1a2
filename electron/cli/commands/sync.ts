// `ferry sync`: drains the outbox now; exits non-zero, with the reason, when something could not be published.
import { EXIT_FAILED, EXIT_OK, type CliCommand } from '../command.ts';
import { writeJson, writeLine } from '../io.ts';
import { cliCore } from '../run-core.ts';

export const syncCommand: CliCommand = {
  name: 'sync',
  summary: 'Publish everything waiting in the outbox now.',
  usage: 'ferry sync [--json] [--config FILE]',
  async run(args, io) {
    const core = cliCore(args.configPath);
    try {
      const event = await core.annotator.syncNow();
      const ok = event.pending === 0 && event.failed === 0;
      if (args.json) writeJson(io.stdout, { ok, ...event });
      else if (ok) writeLine(io.stdout, 'Everything is published.');
      else writeLine(io.stderr, `${event.pending} item(s) still waiting, ${event.failed} need attention${event.message ? `: ${event.message}` : '.'}`);
      return ok ? EXIT_OK : EXIT_FAILED;
    } finally {
      await core.close();
    }
  },
};
