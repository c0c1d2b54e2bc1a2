// `ferry sync`: harvests what Prodigy saved, seals it, drains the outbox now; exits non-zero, with the reason, when
// something could not be published (offline, needs attention, answers waiting for a claim check).
import type { SyncEvent } from '../../../shared/api.ts';
import { EXIT_FAILED, EXIT_OK, type CliCommand } from '../command.ts';
import { writeJson, writeLine } from '../io.ts';
import { cliCore } from '../run-core.ts';

function notPublished(event: SyncEvent): string {
  const what = `${event.pending} item(s) still waiting, ${event.failed} need attention, ${event.answersWaiting ?? 0} answer(s) not yet in S3`;
  const state = event.state === 'offline' ? 'S3 cannot be reached' : event.state === 'needs-attention' ? 'something needs your attention' : 'not everything could be published';
  return `Not published: ${state}. ${what}${event.message ? `: ${event.message}` : '.'}`;
}

export const syncCommand: CliCommand = {
  name: 'sync',
  summary: 'Publish everything waiting in the outbox now.',
  usage: 'ferry sync [--json] [--config FILE]',
  async run(args, io) {
    const core = cliCore(args.configPath);
    try {
      const event = await core.annotator.syncNow('all');
      const ok = event.state !== 'offline' && event.pending === 0 && event.failed === 0 && (event.answersWaiting ?? 0) === 0;
      if (args.json) writeJson(io.stdout, { ok, ...event });
      else if (ok) writeLine(io.stdout, 'Everything is published.');
      else writeLine(io.stderr, notPublished(event));
      return ok ? EXIT_OK : EXIT_FAILED;
    } finally {
      await core.close();
    }
  },
};
