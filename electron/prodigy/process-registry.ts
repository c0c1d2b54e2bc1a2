// Every live Prodigy child of this process, so none outlives Ferry: stopAllProdigy() at app quit / CLI exit,
// and a last-resort SIGKILL from process.on('exit') for any still running.
import type { ChildProcess } from 'node:child_process';
import { isRunning } from './spawn-prodigy.ts';

export type LiveProdigy = {
  readonly child: ChildProcess;
  readonly operation: string;
  // Graceful stop (servers: SIGINT so Prodigy saves; commands: SIGTERM); resolves when the child is gone.
  stop(): Promise<unknown>;
};

const live = new Set<LiveProdigy>();
let exitHookInstalled = false;

function killRemaining(): void {
  for (const entry of live) {
    if (isRunning(entry.child)) {
      try {
        entry.child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  live.clear();
}

export function trackProdigy(entry: LiveProdigy): () => void {
  if (!exitHookInstalled) {
    // 'exit' handlers must be synchronous: there is no time left to wait for Prodigy's own shutdown here.
    process.on('exit', killRemaining);
    exitHookInstalled = true;
  }
  live.add(entry);
  return () => {
    live.delete(entry);
  };
}

export function liveProdigyPids(): number[] {
  return [...live].map((entry) => entry.child.pid).filter((pid): pid is number => pid !== undefined);
}

// Stops every Prodigy process this app started (servers get SIGINT first so they save), and waits for them.
export async function stopAllProdigy(): Promise<void> {
  await Promise.allSettled([...live].map((entry) => entry.stop()));
}
