// Create batches: cut the pool into batches for one region by a rule, optionally ranked by a model's scores.
import { useState, type FormEvent } from 'react';
import type { Project } from '../../../../shared/project.ts';
import { createBatches, forgetOutcome, useLead } from '../../state/lead.ts';
import { ErrorBanner } from '../../ui/error-banner.tsx';
import { SelectField } from '../../ui/field.tsx';
import { CreateResult } from './batch-results.tsx';
import { checkBatching, EMPTY_BATCHING, wholeNumber, withCoreError, type BatchingErrors, type BatchingForm } from './batching-model.ts';
import { NumberField } from './lead-fields.tsx';
import { StrategyFields } from './strategy-fields.tsx';

export function CreateBatchesCard({ project }: { readonly project: Project }) {
  const [region, setRegion] = useState(project.regions[0] ?? '');
  const [count, setCount] = useState('');
  const [size, setSize] = useState(String(project.batchSize));
  const [form, setForm] = useState<BatchingForm>(EMPTY_BATCHING);
  const [errors, setErrors] = useState<BatchingErrors>({});
  const outcome = useLead((s) => s.batches);
  const working = outcome.state === 'working';
  const { shown, unplaced } = withCoreError(errors, outcome);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: Record<string, string[]> = {};
    const countValue = wholeNumber(count, 'count', found, true);
    const sizeValue = wholeNumber(size, 'size', found, true);
    const batching = checkBatching(form, found);
    setErrors(found);
    forgetOutcome('batches');
    if (Object.keys(found).length > 0) return;
    await createBatches({ project: project.name, region, ...(countValue ? { count: countValue } : {}), ...(sizeValue ? { size: sizeValue } : {}), ...batching });
  }
  function change(patch: Partial<BatchingForm>) {
    setForm((f) => ({ ...f, ...patch }));
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !(k in patch) && !(k === 'scoresFile' && 'strategy' in patch))));
  }
  return (
    <section className="card tool-card tool-card-main" aria-labelledby="create-batches-title">
      <div className="tool-card-head">
        <h2 id="create-batches-title">Create batches</h2>
        <p>Cuts free pool items into batches for one region, queued behind its existing ones. No item goes into two live batches.</p>
      </div>
      <form className="tool-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="create-batches-title">
        <div className="field-row field-row-3">
          <SelectField id="cb-region" label="Region" value={region} options={project.regions.map((r) => ({ value: r, label: r }))} errors={shown.region} onChange={setRegion} />
          <NumberField id="cb-count" label="How many" optional value={count} placeholder="all the pool allows" hint="Batches to create." errors={shown.count} onChange={setCount} />
          <NumberField id="cb-size" label="Batch size" value={size} hint="Tasks per batch." errors={shown.size} onChange={setSize} />
        </div>
        <StrategyFields idPrefix="cb" form={form} errors={shown} onChange={change} />
        {unplaced && outcome.state === 'failed' && <ErrorBanner title="No batches were created" error={outcome.error} testId="create-error" />}
        <div className="tool-actions">
          <button type="submit" className="button button-primary" disabled={working} aria-busy={working || undefined}>
            {working ? 'Creating batches…' : 'Create batches'}
          </button>
        </div>
      </form>
      {outcome.state === 'done' && <CreateResult result={outcome.value} />}
    </section>
  );
}
