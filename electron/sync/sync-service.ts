// The background sync loop, owned by the core: one round at a time per process (reconcile, check claims, seal what is
// due, drain the outbox, mark submitted batches, heartbeat, renew leases), kicked when there is work and woken by a
// timer for the next due moment. Offline is decided by a cheap probe when real requests fail with network errors;
// while offline it probes with jittered back-off and syncs as soon as the bucket answers. See docs/sync.md.
import type { SyncEvent } from '../../shared/api.ts';
import { FerryError } from '../../shared/result.ts';
import type { CoreContext } from '../host/core.ts';
import { RECOVERY_NOTICE_KEY, type Workspace, type WorkspaceHolder } from '../workspace/workspace.ts';
import { DEFAULT_HEARTBEAT_MS } from './heartbeat.ts';
import { createKeepReadyRunner, DEFAULT_KEEP_READY_RETRY_MS } from './keep-ready.ts';
import { DEFAULT_CONCURRENCY } from './outbox-worker.ts';
import { DEFAULT_PROBE_TIMEOUT_MS, probeBucket } from './probe.ts';
import { DEFAULT_PUBLISH_POLICY, sealDueAt, type PublishPolicy } from './publish-batch.ts';
import { jobFeed } from './job-feed.ts';
import { createSyncStatus, DEFAULT_EVENT_THROTTLE_MS } from './sync-status.ts';
import { drainStep, HEARTBEAT_AT_KEY, heartbeatStep, markSubmitted, publishBatchStep, renewOpenClaimsStep, type PhaseEvent, type Round } from './sync-steps.ts';
import { nextWakeAt, probeDelayMs } from './sync-timing.ts';

export type { PhaseEvent, SyncPhase } from './sync-steps.ts';

export type SyncServiceOptions = {
  // Run rounds in the background (the app, the web host, `ferry annotate`); off for one-shot CLI commands.
  readonly autoSync?: boolean;
  // Clock for lease decisions and the times written into claims and heartbeats (tests move it to end leases).
  readonly now?: () => Date;
  readonly random?: () => number;
  readonly publish?: Partial<PublishPolicy>;
  readonly concurrency?: number;
  readonly probeTimeoutMs?: number;
  readonly probeBackoffMs?: { readonly base: number; readonly max: number };
  readonly idlePollMs?: number; // picks up work another Ferry process queued in the same dataDir
  readonly claimCheckMs?: number; // how often open batches' leases are looked at
  readonly heartbeatMs?: number;
  readonly keepReadyRetryMs?: number;
  readonly eventThrottleMs?: number;
  // Named steps of each round, for tests and traces (FERRY_TRACE_SYNC=1 prints them from the CLI).
  readonly onPhase?: (event: PhaseEvent) => void;
};

// What the service needs from the annotator: which batches are open, their live view, claiming, harvesting.
export type SyncHost = {
  openBatches(): ReadonlySet<string>;
  batchChanged(ws: Workspace, id: string): void;
  claimNext(signal?: AbortSignal): Promise<unknown>;
  harvest(ws: Workspace, which: 'open' | 'all', signal?: AbortSignal): Promise<void>;
};

export type SyncRequest = { readonly force?: boolean; readonly harvest?: 'none' | 'open' | 'all' };
export type SyncService = ReturnType<typeof createSyncService>;

type Pending = { force: boolean; harvest: 'none' | 'open' | 'all'; waiters: { resolve: (e: SyncEvent) => void; reject: (e: unknown) => void }[] };

export function createSyncService(ctx: CoreContext, workspaces: WorkspaceHolder, options: SyncServiceOptions = {}) {
  const autoSync = options.autoSync ?? false;
  const clock = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const policy: PublishPolicy = { ...DEFAULT_PUBLISH_POLICY, ...options.publish };
  const backoff = options.probeBackoffMs ?? { base: 2_000, max: 60_000 };
  const idlePollMs = options.idlePollMs ?? 30_000;
  const claimCheckMs = options.claimCheckMs ?? 10 * 60_000;
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const owner = `${process.pid}-${Math.round(random() * 1e9)}`;
  const status = createSyncStatus((event) => ctx.emit('sync', event), { throttleMs: options.eventThrottleMs ?? DEFAULT_EVENT_THROTTLE_MS });
  let host: SyncHost | undefined;
  let controller = new AbortController();
  let closed = false;
  let running: Promise<void> | null = null;
  let pending: Pending | null = null;
  let timer: NodeJS.Timeout | undefined;
  let probeAttempts = 0;
  let nextProbeAt = 0;
  let shownRecovery: string | null = null;

  const phase = (event: PhaseEvent) => options.onPhase?.(event);
  const keepReady = createKeepReadyRunner({ owner, retryMs: options.keepReadyRetryMs ?? DEFAULT_KEEP_READY_RETRY_MS, phase, notice: (t) => status.notice(t) });

  function showRecovery(ws: Workspace): void {
    const raw = ws.store.getValue(RECOVERY_NOTICE_KEY);
    if (!raw || raw === shownRecovery) return;
    shownRecovery = raw;
    const notice = JSON.parse(raw) as { message: string; at: string };
    if (Date.now() - new Date(notice.at).getTime() < 24 * 60 * 60_000) status.notice(notice.message);
  }

  function wentOffline(message: string): void {
    probeAttempts += 1;
    const delay = probeDelayMs(probeAttempts, backoff, random);
    nextProbeAt = Date.now() + delay;
    status.offline(message, new Date(nextProbeAt));
  }

  function cameOnline(ws: Workspace): void {
    const wasOffline = status.connectivity === 'offline';
    probeAttempts = 0;
    status.online(ws.store, new Date());
    if (wasOffline) {
      ws.store.expediteQueuedJobs(); // their back-off was the outage, not S3 refusing them
      keepReady.want(false);
    }
  }

  async function round(ws: Workspace, request: Pending): Promise<void> {
    const signal = controller.signal;
    phase({ phase: 'tick', detail: request.force ? 'now' : 'background' });
    showRecovery(ws);
    if (status.connectivity === 'offline' && !request.force) {
      if (Date.now() < nextProbeAt) return;
      phase({ phase: 'probe' });
      const probe = await probeBucket(ws.probeClient, ws.config.bucket, ws.target.prefix, { timeoutMs: options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS, signal });
      if (!probe.reachable) return wentOffline(probe.reason);
      cameOnline(ws);
    }
    const feed = jobFeed();
    const r: Round = { ws, force: request.force, now: clock(), policy, appVersion: ctx.version, signal, net: { up: true, error: null }, contacted: false, phase, notice: (t) => status.notice(t), changed: new Set(), queued: feed.notify };
    // "Syncing" only when there is something to send or a person asked, so idle rounds do not flicker.
    if (request.force || ws.store.outboxCounts().pending > 0) {
      status.setBusy(true);
      status.publish(ws.store, ws.config.annotator);
    }
    try {
      if (request.harvest !== 'none' && host) {
        phase({ phase: 'harvest', detail: request.harvest });
        await host.harvest(ws, request.harvest, signal);
      }
      // Uploads start while later chunks are still being sealed (sealing is CPU and disk, uploading is network). The
      // drain stops taking jobs if a step finds the network down, unless a person asked: the real uploads tell the truth.
      const draining = drainStep(r, options.concurrency ?? DEFAULT_CONCURRENCY, random, () => status.publish(ws.store, ws.config.annotator), feed.wait);
      try {
        for (const batch of ws.store.listBatches()) await publishBatchStep(r, batch);
      } catch (error) {
        feed.end();
        await draining.catch(() => undefined);
        throw error;
      }
      feed.end();
      await draining;
      markSubmitted(r);
      if (r.net.up) await onlineChores(r);
    } finally {
      status.setBusy(false);
      for (const id of r.changed) if (host && ws.store.getBatch(id)) host.batchChanged(ws, id);
    }
    if (r.net.up && r.contacted) return cameOnline(ws);
    // Nothing needed S3 this round and it was online: no request, no news.
    if (r.net.up && status.connectivity === 'online') return;
    // A request could not get through (or none was made yet): ask the bucket once, briefly.
    phase({ phase: 'probe' });
    const probe = await probeBucket(ws.probeClient, ws.config.bucket, ws.target.prefix, { timeoutMs: options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS, signal });
    if (probe.reachable) cameOnline(ws);
    else wentOffline(r.net.error ?? probe.reason);
  }

  // Lease renewals for open batches and the heartbeat, only while S3 answers.
  async function onlineChores(r: Round): Promise<void> {
    const { ws } = r;
    await renewOpenClaimsStep(r, host?.openBatches() ?? new Set());
    if (!r.net.up) return;
    const last = ws.store.getValue(HEARTBEAT_AT_KEY);
    if (last === undefined || Date.now() - new Date(last).getTime() >= heartbeatMs) {
      await heartbeatStep(r, { annotator: ws.config.annotator, region: ws.config.region, appVersion: ctx.version, host: ctx.host });
    }
    if (autoSync && r.net.up) startKeepReady(ws);
  }

  function startKeepReady(ws: Workspace): void {
    if (!host) return;
    keepReady.start({ store: ws.store, want: ws.config.keepReady ?? 0, open: host.openBatches(), claimNext: host.claimNext, signal: controller.signal }, () => {
      if (!closed && !running) schedule(ws); // the round that started it scheduled without knowing the outcome
    });
  }

  function schedule(ws: Workspace): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!autoSync || closed) return;
    const at = nextWakeAt({
      now: Date.now(),
      idlePollMs,
      offline: status.connectivity === 'offline' ? nextProbeAt : null,
      nextJobAt: ws.store.outboxCounts().nextAttemptAt,
      sealDue: ws.store.listBatches().map((b) => sealDueAt(ws, b, policy)),
      claimCheckAt: (host?.openBatches().size ?? 0) > 0 ? Date.now() + claimCheckMs : null,
      keepReadyAt: status.connectivity !== 'offline' ? keepReady.dueAt(ws.config.keepReady ?? 0) : null,
      heartbeatAt: (() => {
        const last = ws.store.getValue(HEARTBEAT_AT_KEY);
        return last === undefined ? null : new Date(last).getTime() + heartbeatMs;
      })(),
    });
    timer = setTimeout(() => request({ force: false, harvest: 'none' }).catch(() => undefined), Math.max(20, at - Date.now()));
    timer.unref(); // never keeps a CLI process alive
  }

  async function loop(): Promise<void> {
    while (pending && !closed) {
      const current = pending;
      pending = null;
      let event: SyncEvent | undefined;
      let failure: unknown;
      let ws: Workspace | undefined;
      try {
        ws = await workspaces.get();
        await round(ws, current);
        event = status.publish(ws.store, ws.config.annotator) ?? status.snapshot(ws.store, ws.config.annotator);
      } catch (error) {
        failure = error;
        if (ws && !(error instanceof FerryError && error.code === 'cancelled')) {
          status.notice(`Sync stopped: ${error instanceof Error ? error.message : String(error)}`);
          try {
            event = status.publish(ws.store, ws.config.annotator) ?? status.snapshot(ws.store, ws.config.annotator);
          } catch {
            event = undefined; // the store is gone too; the waiters get the error itself
          }
        }
      }
      for (const waiter of current.waiters) {
        if (event && (failure === undefined || current.force === false)) waiter.resolve(event);
        else waiter.reject(failure);
      }
      if (ws && !closed) {
        try {
          schedule(ws);
        } catch {
          // the store closed meanwhile; the next open of the workspace kicks the loop again
        }
      }
    }
    running = null;
    // Closed with requests still waiting: they end, they do not hang.
    const left = pending as Pending | null;
    pending = null;
    for (const waiter of left?.waiters ?? []) waiter.reject(new FerryError('cancelled', 'Ferry is shutting down; sync stopped.'));
  }

  function request(next: SyncRequest & { force: boolean }): Promise<SyncEvent> {
    if (closed) return Promise.reject(new FerryError('cancelled', 'Ferry is shutting down; sync stopped.'));
    return new Promise((resolve, reject) => {
      const rank = { none: 0, open: 1, all: 2 } as const;
      const harvest = next.harvest ?? 'none';
      pending ??= { force: false, harvest: 'none', waiters: [] };
      pending.force ||= next.force;
      if (rank[harvest] > rank[pending.harvest]) pending.harvest = harvest;
      pending.waiters.push({ resolve, reject });
      running ??= loop();
    });
  }

  return {
    attach(next: SyncHost): void {
      host = next;
    },
    // Starts the background loop (autoSync only): the first round runs right away, then on its timer.
    start(): void {
      if (!autoSync || closed) return;
      workspaces.onOpen(() => this.kick());
      workspaces.onBeforeClose(async () => this.pause());
      this.kick();
    },
    // There may be work (answers harvested, a job queued, a claim made): run a round soon. No-op without autoSync.
    kick(reason?: 'claimed' | 'opened' | 'submitted'): void {
      if (reason) keepReady.want();
      if (autoSync && !closed) request({ force: false, harvest: 'none' }).catch(() => undefined);
    },
    // Sync now / Submit / `ferry sync`: seal everything sealable, retry what waits (items needing attention once
    // more), drain, and resolve with the resulting state.
    async syncNow(next: SyncRequest = {}): Promise<SyncEvent> {
      const ws = await workspaces.get();
      ws.store.expediteQueuedJobs();
      for (const job of ws.store.listJobs({ state: ['failed', 'needs-attention'] })) {
        try {
          ws.store.requeueJob(job.id);
        } catch (error) {
          if (!(error instanceof FerryError && error.code === 'conflict')) throw error; // another Ferry requeued it first
        }
      }
      return await request({ force: true, harvest: next.harvest ?? 'open' });
    },
    // The lease clock (injected in tests).
    now(): Date {
      return clock();
    },
    // The state now (for status.get), computed from the store.
    current(ws: Workspace): SyncEvent {
      return status.snapshot(ws.store, ws.config.annotator);
    },
    // Stops the round in flight (settings are being saved); the next get() of the workspace starts again.
    async pause(): Promise<void> {
      controller.abort();
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running?.catch(() => undefined);
      await keepReady.settled();
      controller = new AbortController();
    },
    async close(): Promise<void> {
      closed = true;
      await this.pause();
      status.close();
    },
  };
}
