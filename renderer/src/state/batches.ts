// The batches this computer holds, kept live from `batch` and `progress` events, and Get my batch.
import type { BatchView, ProgressEvent, StatusView } from '../../../shared/api.ts';
import type { FerryErrorShape } from '../../../shared/result.ts';
import { ferry } from '../bridge/ferry.ts';
import { defineStore } from './store.ts';
import { statusSeen } from './sync.ts';

export type Claiming =
  | { readonly state: 'idle' }
  // `id` is null until the core names the batch it claimed (its first `batch` event).
  | { readonly state: 'claiming'; readonly id: string | null };

type BatchesStore = {
  readonly loaded: boolean;
  readonly loadError: FerryErrorShape | null;
  readonly byId: Readonly<Record<string, BatchView>>;
  readonly pulls: Readonly<Record<string, ProgressEvent>>;
  readonly claiming: Claiming;
  // The outcome of the last Get my batch that did not bring a batch: `no-batches-left` is news, anything else a fault.
  readonly claimProblem: FerryErrorShape | null;
  readonly prodigy: StatusView['prodigy'] | null;
};

export const useBatches = defineStore<BatchesStore>(() => ({
  loaded: false,
  loadError: null,
  byId: {},
  pulls: {},
  claiming: { state: 'idle' },
  claimProblem: null,
  prodigy: null,
}));

function remember(batch: BatchView): void {
  const { byId, pulls, claiming } = useBatches.getState();
  const settled = batch.status !== 'claimed' && batch.status !== 'pulling';
  const { [batch.id]: _done, ...stillPulling } = pulls;
  useBatches.setState({
    byId: { ...byId, [batch.id]: batch },
    ...(settled ? { pulls: stillPulling } : {}),
    ...(claiming.state === 'claiming' && claiming.id === null && batch.status === 'claimed' ? { claiming: { state: 'claiming', id: batch.id } } : {}),
  });
}

ferry().on('batch', ({ batch }) => remember(batch));
ferry().on('progress', (progress) => {
  if (progress.operation !== 'pull') return;
  useBatches.setState({ pulls: { ...useBatches.getState().pulls, [progress.id]: progress } });
});

// Open work first (in the order the core lists it), then what is already submitted.
export function sortedBatches(byId: Readonly<Record<string, BatchView>>): BatchView[] {
  const done = (b: BatchView) => (b.status === 'submitted' ? 1 : 0);
  return Object.values(byId).sort((a, b) => done(a) - done(b) || a.id.localeCompare(b.id));
}

export async function loadBatches(): Promise<void> {
  const status = await ferry().invoke('status.get', {});
  if (!status.ok) {
    useBatches.setState({ loaded: true, loadError: status.error });
    return;
  }
  const byId = Object.fromEntries(status.value.batches.map((b) => [b.id, b]));
  useBatches.setState({ loaded: true, loadError: null, byId, prodigy: status.value.prodigy });
  statusSeen(status.value.outbox, status.value.sync);
}

// Claims the next batch for the workspace's region and pulls it; the row appears with the first `batch` event.
export async function getMyBatch(): Promise<BatchView | null> {
  if (useBatches.getState().claiming.state === 'claiming') return null;
  useBatches.setState({ claiming: { state: 'claiming', id: null }, claimProblem: null });
  const result = await ferry().invoke('batches.claimNext', {});
  useBatches.setState({ claiming: { state: 'idle' } });
  if (!result.ok) {
    useBatches.setState({ claimProblem: result.error });
    return null;
  }
  remember(result.value);
  return result.value;
}

export function dismissClaimProblem(): void {
  useBatches.setState({ claimProblem: null });
}

export function batchUpdated(batch: BatchView): void {
  remember(batch);
}
