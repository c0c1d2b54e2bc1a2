// Every workspace field, grouped the way a person thinks about them: the bucket, credentials, who I am, this computer.
import { CheckboxField, SelectField, TextField } from '../../ui/field.tsx';
import { FormSection } from '../../ui/form-section.tsx';
import type { FieldName } from './form-model.ts';
import { setField, useSettings } from './settings-store.ts';

function useErrors(field: FieldName): string[] {
  const fromCore = useSettings((s) => s.fieldErrors.fields[field]);
  const fromFile = useSettings((s) => s.fileProblems.fields[field]);
  return [...(fromCore ?? []), ...(fromFile ?? [])];
}

function ProfileField() {
  const value = useSettings((s) => s.form.profile);
  const choices = useSettings((s) => s.profiles);
  const problem = useSettings((s) => s.profilesError);
  const errors = useErrors('profile');
  const known = choices?.profiles ?? [];
  const options = [{ value: '', label: 'Default credential chain' }, ...known.map((name) => ({ value: name, label: name }))];
  if (value && !known.includes(value)) options.push({ value, label: `${value} (not found in your AWS files)` });
  const files = choices?.files ?? [];
  const hint = problem
    ? `Could not read your AWS profiles: ${problem}`
    : files.length > 0
      ? `Profiles read from ${files.join(', ')}. The default chain uses environment variables, SSO or instance roles.`
      : 'No AWS config or credentials file was found; the default chain uses environment variables, SSO or instance roles.';
  return <SelectField id="profile" label="AWS profile" value={value} options={options} hint={hint} errors={errors} onChange={(v) => setField('profile', v)} />;
}

export function WorkspaceFields() {
  const form = useSettings((s) => s.form);
  const first = useSettings((s) => s.view?.exists === false);
  return (
    <>
      <FormSection title="Bucket" description="Where your team's batches and answers live.">
        <TextField id="bucket" label="Bucket" value={form.bucket} autoFocus={first} placeholder="acme-annotation" hint="The S3 bucket your team shares." errors={useErrors('bucket')} onChange={(v) => setField('bucket', v)} />
        <TextField id="prefix" label="Prefix" optional value={form.prefix} placeholder="teams/ferry/" monospace hint={'A folder inside the bucket, ending in "/". Empty uses the bucket root.'} errors={useErrors('prefix')} onChange={(v) => setField('prefix', v)} />
        <TextField id="awsRegion" label="AWS region" value={form.awsRegion} placeholder="eu-west-1" monospace hint="The AWS region the bucket lives in." errors={useErrors('awsRegion')} onChange={(v) => setField('awsRegion', v)} />
        <TextField id="endpoint" label="Endpoint URL" optional value={form.endpoint} placeholder="https://s3.example.internal" monospace hint="Only for S3-compatible stores such as MinIO or Ceph. Leave empty for Amazon S3." errors={useErrors('endpoint')} onChange={(v) => setField('endpoint', v)} />
        <CheckboxField id="forcePathStyle" label="Use path-style addresses" checked={form.forcePathStyle} hint="Most S3-compatible stores need this: requests go to endpoint/bucket/key." errors={useErrors('forcePathStyle')} onChange={(v) => setField('forcePathStyle', v)} />
      </FormSection>
      <FormSection title="Credentials" description="Ferry reads credentials itself; they never reach this window.">
        <ProfileField />
      </FormSection>
      <FormSection title="You" description="How your work is labelled in the bucket.">
        <div className="field-row">
          <TextField id="annotator" label="Annotator name" value={form.annotator} placeholder="maria.k" hint={'Letters, digits, ".", "_" or "-".'} errors={useErrors('annotator')} onChange={(v) => setField('annotator', v)} />
          <TextField id="region" label="Team region" value={form.region} placeholder="emea" hint="Your regional team, in lower case." errors={useErrors('region')} onChange={(v) => setField('region', v)} />
        </div>
      </FormSection>
      <FormSection title="This computer" description="Where Ferry keeps work that has not reached the bucket yet, and how it starts Prodigy.">
        <TextField id="dataDir" label="Data folder" value={form.dataDir} placeholder="/home/you/ferry-data" monospace hint="Batches and unsynced answers are kept here, so you can annotate offline." errors={useErrors('dataDir')} onChange={(v) => setField('dataDir', v)} />
        <TextField
          id="prodigyCommand"
          label="Prodigy command"
          optional
          value={form.prodigyCommand}
          placeholder="prodigy"
          monospace
          hint="Words separated by spaces, e.g. /opt/venv/bin/python -m prodigy. Empty tries prodigy on PATH, then python3 -m prodigy."
          errors={useErrors('prodigyCommand')}
          onChange={(v) => setField('prodigyCommand', v)}
        />
        <TextField
          id="keepReady"
          label="Batches to keep ready"
          optional
          value={form.keepReady}
          placeholder="0"
          hint="For working offline: Ferry claims and downloads this many batches ahead while you are online. Empty or 0 turns it off."
          errors={useErrors('keepReady')}
          onChange={(v) => setField('keepReady', v)}
        />
      </FormSection>
    </>
  );
}
