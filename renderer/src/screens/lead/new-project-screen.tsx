// New project: name, recipe, labels, regions, batch size, lease; each problem is shown next to its field.
import { useState, type FormEvent } from 'react';
import { RECIPES, RECIPES_WITH_MODEL } from '../../../../shared/project.ts';
import { createProject, useLead } from '../../state/lead.ts';
import { goTo, hrefForLead } from '../../state/route.ts';
import { SelectField, TextField } from '../../ui/field.tsx';
import { FormSection } from '../../ui/form-section.tsx';
import { NumberField, TextAreaField } from './lead-fields.tsx';
import { Breadcrumbs, Chips } from './lead-parts.tsx';
import { checkNewProject, EMPTY_FORM, errorsFromCore, splitList, type FormErrors, type NewProjectForm, type ProjectField } from './new-project-model.ts';

const RECIPE_OPTIONS = RECIPES.filter((r) => r !== 'review').map((r) => ({ value: r, label: r }));

function Preview({ form }: { readonly form: NewProjectForm }) {
  const labels = splitList(form.labels);
  const regions = splitList(form.regions);
  return (
    <dl className="preview-list">
      <div>
        <dt>Recipe</dt>
        <dd className="mono">{form.recipe}</dd>
      </div>
      <div>
        <dt>Labels</dt>
        <dd>{labels.length ? <Chips items={labels} label="Labels preview" /> : <span className="cell-faint">None yet</span>}</dd>
      </div>
      <div>
        <dt>Regions</dt>
        <dd>{regions.length ? <Chips items={regions} label="Regions preview" mono /> : <span className="cell-faint">None yet</span>}</dd>
      </div>
      <div>
        <dt>Batches</dt>
        <dd>
          {form.batchSize || '—'} tasks, held for {form.leaseDays || '—'} days
        </dd>
      </div>
    </dl>
  );
}

export function NewProjectScreen() {
  const [form, setForm] = useState<NewProjectForm>(EMPTY_FORM);
  const [errors, setErrors] = useState<FormErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const working = useLead((s) => s.create.state === 'working');
  const set = (field: ProjectField) => (value: string) => {
    setForm((f) => ({ ...f, [field]: value }));
    setErrors(({ [field]: _fixed, ...rest }) => rest);
  };
  async function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkNewProject(form);
    setGeneral(null);
    setErrors(checked.errors);
    if (!checked.request) return;
    const created = await createProject(checked.request);
    const outcome = useLead.getState().create;
    if (created) goTo(hrefForLead({ view: 'batches', project: checked.request.name }));
    else if (outcome.state === 'failed') {
      const mapped = errorsFromCore(outcome.error);
      setErrors(mapped.fields);
      setGeneral(mapped.general);
    }
  }
  const count = Object.values(errors).reduce((n, list) => n + (list?.length ?? 0), 0);
  const needsModel = RECIPES_WITH_MODEL.has(form.recipe);
  return (
    <section className="screen" aria-labelledby="new-project-title">
      <header className="screen-header">
        <Breadcrumbs items={[{ label: 'Projects', href: hrefForLead({ view: 'projects' }) }, { label: 'New project' }]} />
        <h1 id="new-project-title">New project</h1>
        <p className="screen-lede">A project fixes what annotators label and how; its batches are built next, per region.</p>
      </header>
      <form className="settings-layout" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="new-project-title">
        <div className="settings-fields">
          <FormSection title="Project" description="The name every batch, claim and answer of this project is filed under.">
            <TextField id="name" label="Name" value={form.name} placeholder="reviews-2026" monospace autoFocus hint={'Letters, digits, ".", "_" or "-". It cannot be changed later.'} errors={errors.name} onChange={set('name')} />
            <TextField id="dataset" label="Prodigy dataset" optional value={form.dataset} placeholder={form.name || 'same as the name'} monospace hint="Where annotators' answers are saved in Prodigy. Defaults to the project name." errors={errors.dataset} onChange={set('dataset')} />
          </FormSection>
          <FormSection title="Annotation" description="What annotators see in Prodigy.">
            <SelectField id="recipe" label="Recipe" value={form.recipe} options={RECIPE_OPTIONS} hint="The Prodigy recipe every batch of this project opens with." errors={errors.recipe} onChange={set('recipe')} />
            {needsModel && <TextField id="model" label="spaCy pipeline" optional value={form.model} placeholder="blank:en" monospace hint="The tokenizer the recipe uses; blank:en when empty." errors={errors.model} onChange={set('model')} />}
            <TextField id="labels" label="Labels" value={form.labels} placeholder="POSITIVE, NEGATIVE" hint="Separated by commas, in the order annotators should see them." errors={errors.labels} onChange={set('labels')} />
          </FormSection>
          <FormSection title="Regions and batches" description="Who works on it, and how work is handed out.">
            <TextField id="regions" label="Regions" value={form.regions} placeholder="emea, apac" monospace hint="The regional teams that annotate this project, separated by commas." errors={errors.regions} onChange={set('regions')} />
            <div className="field-row">
              <NumberField id="batchSize" label="Batch size" value={form.batchSize} hint="Tasks in one batch." errors={errors.batchSize} onChange={set('batchSize')} />
              <NumberField id="leaseDays" label="Lease (days)" value={form.leaseDays} hint="How long a claim holds before it can be freed." errors={errors.leaseDays} onChange={set('leaseDays')} />
            </div>
          </FormSection>
          <FormSection title="Pool" description="Where batches take their tasks from. You can also name a pool file when you create batches.">
            <TextAreaField
              id="pool"
              label="Pool sources"
              optional
              monospace
              value={form.pool}
              placeholder={'s3://raw-bucket/photos/\ns3://raw-bucket/tasks/reviews.jsonl\n/data/pool/reviews.csv'}
              hint="One per line: an s3:// prefix ending in “/” (one task per file), or a .jsonl or .csv task file in S3 or on the computer Ferry's core runs on."
              errors={errors.pool}
              onChange={set('pool')}
            />
          </FormSection>
        </div>
        <aside className="settings-side" aria-label="Create the project">
          <div className="card action-card">
            <h2 className="action-title">Summary</h2>
            <Preview form={form} />
            <button type="submit" className="button button-primary" disabled={working} aria-busy={working || undefined}>
              {working ? 'Creating…' : 'Create project'}
            </button>
            <div role="status" aria-live="polite" className="action-status" data-testid="new-project-status">
              {count > 0 && <span className="status-note status-note-error">{count === 1 ? 'One field needs attention.' : `${count} fields need attention.`}</span>}
              {general && <span className="status-note status-note-error">{general}</span>}
            </div>
          </div>
        </aside>
      </form>
    </section>
  );
}
