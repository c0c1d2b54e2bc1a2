// The batching rule and its inputs, shared by Create batches, Refill and Rerank.
import { CheckboxField, SelectField, TextField } from '../../ui/field.tsx';
import { FILES_HINT, SCORED, STRATEGIES, STRATEGY_TEXT, type BatchingErrors, type BatchingForm, type Strategy } from './batching-model.ts';

type Props = {
  readonly idPrefix: string;
  readonly form: BatchingForm;
  readonly errors: BatchingErrors;
  readonly onChange: (patch: Partial<BatchingForm>) => void;
  readonly strategies?: readonly Strategy[];
  readonly withPool?: boolean;
  readonly scoresRequired?: boolean;
};

export function StrategyFields({ idPrefix, form, errors, onChange, strategies = STRATEGIES, withPool = true, scoresRequired = false }: Props) {
  const id = (name: string) => `${idPrefix}-${name}`;
  const scored = SCORED.has(form.strategy);
  return (
    <>
      <SelectField
        id={id('strategy')}
        label="Strategy"
        value={form.strategy}
        options={strategies.map((s) => ({ value: s, label: STRATEGY_TEXT[s] }))}
        hint={scored ? 'Ranks the free pool items by a model’s scores; each task’s score goes into the batch manifest.' : undefined}
        errors={errors.strategy}
        onChange={(v) => onChange({ strategy: v as Strategy })}
      />
      {form.strategy === 'stratified' && <TextField id={id('by')} label="Mix by" value={form.by} placeholder="meta.source" monospace hint="The meta field whose values each batch mixes evenly." errors={errors.by} onChange={(v) => onChange({ by: v })} />}
      {form.strategy === 'random' && <TextField id={id('seed')} label="Seed" value={form.seed} placeholder="round-1" monospace hint="The same seed gives the same order again." errors={errors.seed} onChange={(v) => onChange({ seed: v })} />}
      {(scored || scoresRequired) && (
        <>
          <TextField
            id={id('scores')}
            label="Scores file"
            value={form.scoresFile}
            placeholder="/data/model-round-3/scores.jsonl"
            monospace
            hint={
              <>
                JSONL, one line per item: <code>{'{"id": …, "score": p}'}</code> or <code>{'{"id": …, "scores": {"LABEL": p}}'}</code>. {FILES_HINT}
              </>
            }
            errors={errors.scoresFile}
            onChange={(v) => onChange({ scoresFile: v })}
          />
          <CheckboxField id={id('skip-bad')} label="Skip bad score lines" checked={form.skipBadScores} hint="Unknown ids, missing or out-of-range values are counted and named instead of stopping the run." onChange={(v) => onChange({ skipBadScores: v })} />
        </>
      )}
      {withPool && (
        <TextField
          id={id('pool')}
          label="Pool file"
          optional
          value={form.poolFile}
          placeholder="the project’s pool"
          monospace
          hint={<>A .jsonl or .csv task file, s3://bucket/key.jsonl or an s3://bucket/prefix/ of raw files; empty uses the project’s pool. {FILES_HINT}</>}
          errors={errors.poolFile}
          onChange={(v) => onChange({ poolFile: v })}
        />
      )}
    </>
  );
}
