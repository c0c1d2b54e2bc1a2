// Lets a drain run beside the seals of the same round: a drain worker that finds the outbox empty waits here until
// the sealer queued another job (true) or is done (false), instead of ending the drain early.
export type JobFeed = {
  // A job was queued.
  readonly notify: () => void;
  // No more jobs will be queued in this round.
  readonly end: () => void;
  readonly wait: () => Promise<boolean>;
};

export function jobFeed(): JobFeed {
  const waiters: ((more: boolean) => void)[] = [];
  let ended = false;
  return {
    notify() {
      for (const wake of waiters.splice(0)) wake(true);
    },
    end() {
      ended = true;
      for (const wake of waiters.splice(0)) wake(false);
    },
    wait() {
      return ended ? Promise.resolve(false) : new Promise((resolve) => waiters.push(resolve));
    },
  };
}
