// When the sync loop wakes up next, and how long it waits between probes while offline.

// Offline: probe after 2 s, 4 s, 8 s … up to 60 s, each jittered to 50–100 % so many laptops do not probe in step.
export function probeDelayMs(attempt: number, backoff: { readonly base: number; readonly max: number }, random: () => number = Math.random): number {
  const ceiling = Math.min(backoff.max, backoff.base * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export type WakeInputs = {
  readonly now: number;
  readonly idlePollMs: number;
  readonly offline: number | null; // next probe (epoch ms) while offline
  readonly nextJobAt: string | null; // earliest queued outbox job
  readonly sealDue: readonly (number | null)[]; // per batch, when its waiting answers become a chunk
  readonly claimCheckAt: number | null; // open batches: when to look at their leases again
  readonly heartbeatAt: number | null;
  readonly keepReadyAt: number | null; // "keep N ready" waits to look for batches again
};

// The earliest moment anything is due; offline, only the probe (and the idle poll) can wake the loop. Called right
// after a round: a chunk already due that the round did not seal was blocked (e.g. its claim could not be checked),
// so it waits for the idle poll instead of spinning; a job already due gets a second's pause.
export function nextWakeAt(inputs: WakeInputs): number {
  const candidates = [inputs.now + inputs.idlePollMs];
  if (inputs.offline !== null) candidates.push(inputs.offline);
  else {
    if (inputs.nextJobAt !== null) candidates.push(Math.max(inputs.now + 1_000, new Date(inputs.nextJobAt).getTime()));
    for (const due of inputs.sealDue) if (due !== null && due > inputs.now) candidates.push(due);
    if (inputs.claimCheckAt !== null) candidates.push(inputs.claimCheckAt);
    if (inputs.heartbeatAt !== null) candidates.push(inputs.heartbeatAt);
    if (inputs.keepReadyAt !== null && inputs.keepReadyAt > inputs.now) candidates.push(inputs.keepReadyAt);
  }
  return Math.max(inputs.now + 20, Math.min(...candidates));
}
