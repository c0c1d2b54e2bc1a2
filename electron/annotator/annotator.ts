// The annotator's day, behind the app and the CLI alike: get a batch, pull it, annotate in Prodigy, submit.
import type { BatchView, CommandResponse, StatusView, SubmitView, SyncEvent } from '../../shared/api.ts';
import { BatchManifestSchema, type BatchManifest } from '../../shared/batch.ts';
import { FerryError } from '../../shared/result.ts';
import { claimNextBatch } from '../claims/claim-batch.ts';
import { findReassignedBatch } from '../claims/adopt-reassigned.ts';
import { listProjectNames } from '../projects/projects.ts';
import { startHarvestLoop } from '../harvest/harvest-loop.ts';
import type { CoreContext } from '../host/core.ts';
import { resolveProdigyCommand } from '../prodigy/resolve-command.ts';
import { startProdigyServer } from '../prodigy/run-prodigy.ts';
import { pullBatch } from '../pull/pull-batch.ts';
import type { Batch } from '../store/store.ts';
import type { SyncHost, SyncService } from '../sync/sync-service.ts';
import { batchPaths } from '../workspace/paths.ts';
import type { Workspace, WorkspaceHolder } from '../workspace/workspace.ts';
import { toBatchView } from './batch-view.ts';
import { harvestBatchOnce, harvestStoreOf } from './harvesting.ts';
import { prodigyKind, type ProdigySession } from './prodigy-sessions.ts';
import { submitView } from './submit-view.ts';
import { existsSync } from 'node:fs';

export type Annotator = ReturnType<typeof createAnnotator>;

export type AnnotatorOptions = { readonly harvestIntervalMs?: number; readonly readyTimeoutMs?: number };

function manifestOf(batch: Batch): BatchManifest {
  return BatchManifestSchema.parse(batch.manifest);
}

// What the batch shows after a failed pull; a retry is suggested only where one can help.
function pullFailureNote(error: unknown): string {
  const message = error instanceof FerryError ? error.message : String(error);
  const final = error instanceof FerryError && (error.code === 'malformed-input' || error.code === 'unsafe-key');
  return final ? `Pulling failed: ${message}` : `Pulling failed: ${message} Open the batch to try again; files already verified are kept, so the pull resumes where it stopped.`;
}

// Release records this app has already read, so each is fetched once.
const SEEN_RELEASES_KEY = 'claims.seen-releases';

export function createAnnotator(ctx: CoreContext, workspaces: WorkspaceHolder, sync: SyncService, options: AnnotatorOptions = {}) {
  const sessions = new Map<string, ProdigySession>();
  // A harvest that failed (a full disk) is shown on the batch until the next one succeeds; nothing is lost meanwhile.
  const harvestProblems = new Map<string, string>();

  function view(ws: Workspace, batch: Batch): BatchView {
    const session = sessions.get(batch.id);
    return toBatchView(ws.store, batch, session ? { state: 'running', url: session.server.url } : { state: 'idle' }, harvestProblems.get(batch.id));
  }

  function requireBatch(ws: Workspace, id: string): Batch {
    const batch = ws.store.getBatch(id);
    if (!batch) throw new FerryError('not-found', `There is no batch "${id}" on this computer. Use Get my batch to claim one.`);
    return batch;
  }

  function publishBatch(ws: Workspace, id: string): BatchView {
    const batchView = view(ws, requireBatch(ws, id));
    ctx.emit('batch', { batch: batchView });
    return batchView;
  }

  async function pull(ws: Workspace, batch: Batch, signal?: AbortSignal): Promise<BatchView> {
    const manifest = manifestOf(batch);
    ws.store.setBatchStatus(batch.id, 'pulling');
    publishBatch(ws, batch.id);
    try {
      const paths = batchPaths(ws.config.dataDir, batch.project, batch.region, batch.batch);
      await pullBatch(ws.pullTarget, manifest, paths, {
        ...(signal ? { signal } : {}),
        onProgress: (p) => ctx.emit('progress', { operation: 'pull', id: batch.id, ...p }),
      });
      ws.store.upsertBatch({ project: batch.project, region: batch.region, batch: batch.batch, status: 'ready', pulledAt: new Date(), error: null });
    } catch (error) {
      ws.store.setBatchStatus(batch.id, 'failed', pullFailureNote(error));
      publishBatch(ws, batch.id);
      throw error;
    }
    return publishBatch(ws, batch.id);
  }

  async function ensurePulled(ws: Workspace, batch: Batch): Promise<Batch> {
    const paths = batchPaths(ws.config.dataDir, batch.project, batch.region, batch.batch);
    if (batch.pulledAt && existsSync(paths.localTasks)) return batch;
    await pull(ws, batch);
    return requireBatch(ws, batch.id);
  }

  async function stopSession(ws: Workspace, id: string): Promise<void> {
    const session = sessions.get(id);
    if (!session) return;
    sessions.delete(id);
    ctx.emit('prodigy', { batch: id, state: 'stopping' });
    await session.server.stop();
    await session.harvest.stop(); // one last harvest after Prodigy saved and exited
    const batch = ws.store.getBatch(id);
    if (batch?.status === 'annotating') ws.store.setBatchStatus(id, 'ready');
    ctx.emit('prodigy', { batch: id, state: 'stopped' });
    publishBatch(ws, id);
  }

  async function harvestAll(ws: Workspace, which: 'open' | 'all', signal?: AbortSignal): Promise<void> {
    for (const session of sessions.values()) await session.harvest.now().catch(() => undefined); // reported by the loop
    if (which === 'open') return;
    const command = await resolveProdigyCommand(ws.config.prodigyCommand).catch(() => null);
    if (!command) return;
    for (const batch of ws.store.listBatches()) {
      if (batch.status === 'submitted' || sessions.has(batch.id)) continue;
      await harvestBatchOnce(ws, batch, command, signal);
    }
  }

  const syncHost: SyncHost = {
    openBatches: () => new Set(sessions.keys()),
    batchChanged: (ws, id) => void publishBatch(ws, id),
    claimNext: async (signal) => await claimNext(undefined, signal),
    harvest: harvestAll,
  };

  // A batch a lead reassigned to me comes before a fresh one: the lead chose me for it.
  async function adoptReassigned(ws: Workspace, project?: string) {
    const seen = new Set<string>(JSON.parse(ws.store.getValue(SEEN_RELEASES_KEY) ?? '[]') as string[]);
    const projects = project ? [project] : await listProjectNames(ws.target);
    const adopted = await findReassignedBatch(ws.target, {
      annotator: ws.config.annotator,
      region: ws.config.region,
      projects,
      isLocal: (p, b) => ws.store.getBatch(`${p}/${ws.config.region}/${b}`) !== undefined,
      seen,
      markSeen: (key) => seen.add(key),
    });
    ws.store.setValue(SEEN_RELEASES_KEY, JSON.stringify([...seen]));
    return adopted ? { ...adopted, lostRaces: 0 } : null;
  }

  async function claimNext(project?: string, signal?: AbortSignal): Promise<BatchView> {
    const ws = await workspaces.get();
    // A batch already claimed whose pull was cut short (the app quit or crashed mid-download) is finished first,
    // rather than claiming another and leaving it held for nobody.
    const interrupted = ws.store
      .listBatches({ status: ['claimed', 'pulling'], ...(project ? { project } : {}) })
      .find((b) => b.pulledAt === null && b.region === ws.config.region);
    if (interrupted) return await pull(ws, interrupted, signal);
    const claimed = (await adoptReassigned(ws, project)) ?? (await claimNextBatch(ws.target, {
      annotator: ws.config.annotator,
      region: ws.config.region,
      appVersion: ctx.version,
      ...(project ? { project } : {}),
      ...(signal ? { signal } : {}),
    }));
    const { manifest, claim } = claimed;
    const batch = ws.store.upsertBatch({
      project: manifest.project,
      region: manifest.region,
      batch: manifest.batch,
      status: 'claimed',
      claimEtag: claimed.etag,
      leaseUntil: claim.leaseUntil,
      manifest,
      tasksTotal: manifest.tasks.count,
    });
    ws.store.recordHeldClaim(batch.id, { claim, etag: claimed.etag, leaseUntil: claim.leaseUntil, checkedAt: new Date() });
    publishBatch(ws, batch.id);
    const pulled = await pull(ws, batch, signal);
    sync.kick('claimed'); // tops up "keep N batches ready"
    return pulled;
  }

  return {
    async list(): Promise<BatchView[]> {
      const ws = await workspaces.get();
      return ws.store.listBatches().map((b) => view(ws, b));
    },

    async get(id: string): Promise<BatchView> {
      const ws = await workspaces.get();
      return view(ws, requireBatch(ws, id));
    },

    claimNext,

    async open(id: string): Promise<CommandResponse<'batches.open'>> {
      const ws = await workspaces.get();
      const existing = sessions.get(id);
      if (existing) {
        const s = existing.server;
        return { batch: view(ws, requireBatch(ws, id)), url: s.url, browserUrl: s.url, loginNeeded: true, login: { username: s.username, password: s.password }, prodigy: existing.kind };
      }
      let batch = requireBatch(ws, id);
      if (batch.status === 'submitted' || batch.status === 'submitting') {
        throw new FerryError('conflict', `Batch ${batch.batch} is already submitted; its answers are in the outbox or in S3.`);
      }
      batch = await ensurePulled(ws, batch);
      const manifest = manifestOf(batch);
      const paths = batchPaths(ws.config.dataDir, batch.project, batch.region, batch.batch);
      ctx.emit('prodigy', { batch: id, state: 'starting' });
      let server;
      let command: string[];
      try {
        // Inside the try: a missing Prodigy is a failed start the UI shows on the batch, like any other.
        command = await resolveProdigyCommand(ws.config.prodigyCommand);
        server = await startProdigyServer({
          command,
          recipe: manifest.recipe,
          dataset: manifest.dataset,
          ...(manifest.model ? { model: manifest.model } : {}),
          source: paths.localTasks,
          labels: manifest.labels,
          extraArgs: manifest.prodigyArgs,
          configOverrides: manifest.prodigyConfig,
          home: paths.prodigyHome,
          session: ws.config.annotator,
          ...(options.readyTimeoutMs ? { readyTimeoutMs: options.readyTimeoutMs } : {}),
        });
      } catch (error) {
        const lastLines = (error as { lastLines?: string[] }).lastLines;
        ctx.emit('prodigy', { batch: id, state: 'failed', ...(lastLines ? { lastLines } : {}) });
        ws.store.setBatchStatus(id, batch.status === 'annotating' ? 'ready' : batch.status, error instanceof FerryError ? error.message : String(error));
        publishBatch(ws, id);
        throw error;
      }
      const harvest = startHarvestLoop({
        command,
        home: paths.prodigyHome,
        dataset: manifest.dataset,
        batchId: id,
        annotator: ws.config.annotator,
        store: harvestStoreOf(ws),
        ...(options.harvestIntervalMs ? { intervalMs: options.harvestIntervalMs } : {}),
        onHarvest: (result) => {
          const cleared = harvestProblems.delete(id);
          if (result.inserted + result.updated > 0 || cleared) publishBatch(ws, id);
          if (result.inserted + result.updated > 0) sync.kick(); // continuous publishing: a chunk may be due
        },
        onError: (error) => {
          if (error.code !== 'disk-full') return;
          harvestProblems.set(id, error.message);
          publishBatch(ws, id);
        },
      });
      const session: ProdigySession = { batchId: id, server, harvest, command, kind: prodigyKind(command) };
      sessions.set(id, session);
      server.on('exit', (exit) => {
        if (sessions.get(id) !== session) return; // stopped on purpose
        sessions.delete(id);
        void harvest.stop().then(() => {
          if (ws.store.getBatch(id)?.status === 'annotating') ws.store.setBatchStatus(id, 'ready');
          ctx.emit('prodigy', { batch: id, state: exit.exitCode === 0 ? 'stopped' : 'failed', lastLines: server.lastLines(20) });
          publishBatch(ws, id);
        });
      });
      ws.store.setBatchStatus(id, 'annotating', null);
      ctx.emit('prodigy', { batch: id, state: 'running', url: server.url });
      sync.kick('opened'); // this batch is no longer "ahead": top up the ready ones
      return { batch: publishBatch(ws, id), url: server.url, browserUrl: server.url, loginNeeded: true, login: { username: server.username, password: server.password }, prodigy: session.kind };
    },

    async stop(id: string): Promise<BatchView> {
      const ws = await workspaces.get();
      requireBatch(ws, id);
      await stopSession(ws, id);
      return view(ws, requireBatch(ws, id));
    },

    async submit(id: string): Promise<SubmitView> {
      const ws = await workspaces.get();
      let batch = requireBatch(ws, id);
      if (sessions.has(id)) await stopSession(ws, id);
      else if (batch.status !== 'submitted') {
        const command = await resolveProdigyCommand(ws.config.prodigyCommand).catch(() => null);
        if (command) await harvestBatchOnce(ws, batch, command);
      }
      // The last harvest could not save (a full disk): submitting now would leave those answers out.
      const problem = harvestProblems.get(id);
      if (problem) throw new FerryError('disk-full', problem);
      batch = requireBatch(ws, id);
      const counts = ws.store.countAnswers(id);
      if (counts.total === 0 && batch.status !== 'submitted') {
        throw new FerryError('invalid-request', `Batch ${batch.batch} has no answers yet. Open it in Prodigy, annotate, and save before you submit.`);
      }
      // Accepted locally first: the request survives a crash, and the sync service queues the marker when it may.
      if (batch.status !== 'submitted') {
        ws.store.requestSubmit(id);
        ws.store.setBatchStatus(id, 'submitting', null);
      }
      publishBatch(ws, id);
      const event = await sync.syncNow({ harvest: 'none' });
      sync.kick('submitted'); // tops up "keep N batches ready"
      const after = requireBatch(ws, id);
      return submitView(ws, after, view(ws, after), counts.total, event, sync.now());
    },

    async status(): Promise<StatusView> {
      const ws = await workspaces.get();
      const batches = ws.store.listBatches().map((b) => view(ws, b));
      const counts = ws.store.outboxCounts();
      const command = await resolveProdigyCommand(ws.config.prodigyCommand).catch(() => null);
      return { batches, outbox: counts, prodigy: command ? prodigyKind(command) : ('missing' as const), sync: sync.current(ws) };
    },

    // Sync now (the button: harvests open batches first) and `ferry sync` (harvest: 'all').
    async syncNow(harvest: 'open' | 'all' = 'open'): Promise<SyncEvent> {
      return await sync.syncNow({ harvest });
    },

    syncHost(): SyncHost {
      return syncHost;
    },

    async stopAll(): Promise<void> {
      const ws = await workspaces.get().catch(() => null);
      if (!ws) return;
      for (const id of [...sessions.keys()]) await stopSession(ws, id);
    },

    hasSessions(): boolean {
      return sessions.size > 0;
    },
  };
}
