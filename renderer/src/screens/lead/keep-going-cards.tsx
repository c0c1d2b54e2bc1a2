// The loop that keeps going: Refill tops every region up to K unclaimed batches; Rerank rebuilds the unclaimed ones
// after a new model round (claimed batches are never touched).
import { useState, type FormEvent } from 'react';
import type { Project } from '../../../../shared/project.ts';
import { forgetOutcome, refillBatches, rerankBatches, useLead } from '../../state/lead.ts';
import { ErrorBanner } from '../../ui/error-banner.tsx';
import { RefillResult, RerankResult } from './batch-results.tsx';
import { checkBatching, EMPTY_BATCHING, wholeNumber, withCoreError, type BatchingErrors, type BatchingForm } from './batching-model.ts';
import { NumberField } from './lead-fields.tsx';
import { StrategyFields } from './strategy-fields.tsx';

export function RefillCard({ project }: { readonly project: Project }) {
  const [perRegion, setPerRegion] = useState('3');
  const [form, setForm] = useState<BatchingForm>(EMPTY_BATCHING);
  const [errors, setErrors] = useState<BatchingErrors>({});
  const outcome = useLead((s) => s.refill);
  const { shown, unplaced } = withCoreError(errors, outcome);
  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: Record<string, string[]> = {};
    const k = wholeNumber(perRegion, 'perRegion', found, false);
    const batching = checkBatching(form, found);
    setErrors(found);
    forgetOutcome('refill');
    if (k === undefined || Object.keys(found).length > 0) return;
    await refillBatches({ project: project.name, perRegion: k, ...batching });
  }
  return (
    <section className="card tool-card" aria-labelledby="refill-title">
      <div className="tool-card-head">
        <h2 id="refill-title">Refill</h2>
        <p>Keeps every region stocked with K unclaimed batches, picking up new pool items. Safe to run again, or by two leads at once.</p>
      </div>
      <form className="tool-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="refill-title">
        <NumberField id="rf-k" label="Unclaimed batches per region" value={perRegion} errors={shown.perRegion} onChange={setPerRegion} />
        <StrategyFields idPrefix="rf" form={form} errors={shown} onChange={(p) => setForm((f) => ({ ...f, ...p }))} />
        {unplaced && outcome.state === 'failed' && <ErrorBanner title="Refill did not run" error={outcome.error} testId="refill-error" />}
        <div className="tool-actions">
          <button type="submit" className="button button-secondary" disabled={outcome.state === 'working'} aria-busy={outcome.state === 'working' || undefined}>
            {outcome.state === 'working' ? 'Refilling…' : 'Refill'}
          </button>
        </div>
      </form>
      {outcome.state === 'done' && <RefillResult result={outcome.value} />}
    </section>
  );
}

export function RerankCard({ project }: { readonly project: Project }) {
  const [form, setForm] = useState<BatchingForm>({ ...EMPTY_BATCHING, strategy: 'uncertainty' });
  const [errors, setErrors] = useState<BatchingErrors>({});
  const outcome = useLead((s) => s.rerank);
  const { shown, unplaced } = withCoreError(errors, outcome);
  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: Record<string, string[]> = {};
    const batching = checkBatching(form, found);
    if (!batching.scoresFile && !found.scoresFile) found.scoresFile = ['Name the new model round’s scores file.'];
    setErrors(found);
    forgetOutcome('rerank');
    if (Object.keys(found).length > 0 || !batching.scoresFile) return;
    await rerankBatches({ project: project.name, ...batching, scoresFile: batching.scoresFile });
  }
  return (
    <section className="card tool-card" aria-labelledby="rerank-title">
      <div className="tool-card-head">
        <h2 id="rerank-title">Rerank</h2>
        <p>After a new model round: retires the unclaimed batches and builds them again in the new order. Claimed batches stay as they are.</p>
      </div>
      <form className="tool-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="rerank-title">
        <StrategyFields idPrefix="rr" form={form} errors={shown} strategies={['uncertainty', 'margin', 'entropy']} withPool={false} onChange={(p) => setForm((f) => ({ ...f, ...p }))} />
        {unplaced && outcome.state === 'failed' && <ErrorBanner title="Rerank did not run" error={outcome.error} testId="rerank-error" />}
        <div className="tool-actions">
          <button type="submit" className="button button-secondary" disabled={outcome.state === 'working'} aria-busy={outcome.state === 'working' || undefined}>
            {outcome.state === 'working' ? 'Reranking…' : 'Rerank'}
          </button>
        </div>
      </form>
      {outcome.state === 'done' && <RerankResult result={outcome.value} />}
    </section>
  );
}
