// What the person is doing with each batch: Prodigy starting, running or failed; a submit in flight; the last error.
import type { CommandResponse, ProdigyEvent, SubmitView } from '../../../shared/api.ts';
import type { FerryErrorShape } from '../../../shared/result.ts';
import { ferry } from '../bridge/ferry.ts';
import { batchUpdated } from './batches.ts';
import { defineStore } from './store.ts';

export type BatchAction = 'open' | 'stop' | 'submit';
export type OpenedProdigy = CommandResponse<'batches.open'>;

export type BatchSession = {
  readonly busy: BatchAction | null;
  // Shown next to the button that caused it.
  readonly error: { readonly action: BatchAction; readonly error: FerryErrorShape } | null;
  readonly prodigy: ProdigyEvent | null;
  readonly opened: OpenedProdigy | null;
  readonly submitted: Pick<SubmitView, 'state' | 'message'> | null;
};

const IDLE: BatchSession = { busy: null, error: null, prodigy: null, opened: null, submitted: null };

type SessionsStore = { readonly byId: Readonly<Record<string, BatchSession>> };

export const useBatchSessions = defineStore<SessionsStore>(() => ({ byId: {} }));

export function sessionOf(byId: Readonly<Record<string, BatchSession>>, id: string): BatchSession {
  return byId[id] ?? IDLE;
}

function update(id: string, change: Partial<BatchSession>): void {
  const { byId } = useBatchSessions.getState();
  useBatchSessions.setState({ byId: { ...byId, [id]: { ...sessionOf(byId, id), ...change } } });
}

ferry().on('prodigy', (event) => {
  const session = sessionOf(useBatchSessions.getState().byId, event.batch);
  // A fresh start clears the last failure; once Prodigy is gone its login is no use.
  const gone = event.state === 'stopped' || event.state === 'failed';
  update(event.batch, { prodigy: event, ...(gone ? { opened: null } : {}), ...(event.state === 'starting' && session.error?.action === 'open' ? { error: null } : {}) });
});

// Starts Prodigy for the batch (or finds the one already running) and returns where it listens.
export async function openInProdigy(id: string): Promise<OpenedProdigy | null> {
  update(id, { busy: 'open', error: null, submitted: null });
  const result = await ferry().invoke('batches.open', { id });
  if (!result.ok) {
    update(id, { busy: null, error: { action: 'open', error: result.error } });
    return null;
  }
  batchUpdated(result.value.batch);
  update(id, { busy: null, opened: result.value });
  return result.value;
}

export async function stopProdigy(id: string): Promise<void> {
  update(id, { busy: 'stop', error: null });
  const result = await ferry().invoke('batches.stop', { id });
  if (result.ok) batchUpdated(result.value);
  update(id, { busy: null, ...(result.ok ? { opened: null } : { error: { action: 'stop', error: result.error } }) });
}

export async function submitBatch(id: string): Promise<void> {
  update(id, { busy: 'submit', error: null, submitted: null });
  const result = await ferry().invoke('batches.submit', { id });
  if (!result.ok) {
    update(id, { busy: null, error: { action: 'submit', error: result.error } });
    return;
  }
  batchUpdated(result.value.batch);
  update(id, { busy: null, opened: null, submitted: { state: result.value.state, message: result.value.message } });
}
