// The Settings screen's state: the form, what the file and the core said about it, and the last connection test.
import type { ConfigView, DoctorReport } from '../../../../shared/api.ts';
import type { FerryErrorShape } from '../../../../shared/result.ts';
import { ferry } from '../../bridge/ferry.ts';
import { defineStore } from '../../state/store.ts';
import { workspaceSaved } from '../../state/workspace.ts';
import { configFromForm, formFromConfig, sortProblems, type FieldName, type SortedProblems, type WorkspaceForm } from './form-model.ts';

export type ProfileChoices = { readonly profiles: readonly string[]; readonly files: readonly string[] };

export type Outcome =
  | { readonly kind: 'saved'; readonly path: string }
  | { readonly kind: 'error'; readonly error: FerryErrorShape }
  | null;

type SettingsState = {
  readonly view: ConfigView | null;
  readonly loadError: FerryErrorShape | null;
  readonly form: WorkspaceForm;
  readonly fileProblems: SortedProblems;
  readonly fieldErrors: SortedProblems;
  readonly profiles: ProfileChoices | null;
  readonly profilesError: string | null;
  readonly saving: boolean;
  readonly saveOutcome: Outcome;
  readonly testing: boolean;
  readonly report: DoctorReport | null;
  readonly testError: FerryErrorShape | null;
};

const NO_PROBLEMS: SortedProblems = { fields: {}, general: [] };

export const useSettings = defineStore<SettingsState>(() => ({
  view: null,
  loadError: null,
  form: formFromConfig({}),
  fileProblems: NO_PROBLEMS,
  fieldErrors: NO_PROBLEMS,
  profiles: null,
  profilesError: null,
  saving: false,
  saveOutcome: null,
  testing: false,
  report: null,
  testError: null,
}));

function showView(view: ConfigView): void {
  useSettings.setState({ view, loadError: null, form: formFromConfig(view.config, view.exists ? 'existing' : 'new'), fileProblems: sortProblems(view.problems) });
}

// Edits survive leaving the screen and coming back; the AWS profile list is re-read every time.
export async function loadSettings(): Promise<void> {
  const keepEdits = useSettings.getState().view !== null;
  const [view, profiles] = await Promise.all([keepEdits ? null : ferry().invoke('config.get', {}), ferry().invoke('config.profiles', {})]);
  if (view?.ok) showView(view.value);
  if (view) useSettings.setState({ loadError: view.ok ? null : view.error });
  useSettings.setState(profiles.ok ? { profiles: profiles.value, profilesError: null } : { profiles: null, profilesError: profiles.error.message });
}

export function setField<K extends FieldName>(field: K, value: WorkspaceForm[K]): void {
  const { form, fieldErrors } = useSettings.getState();
  const { [field]: _cleared, ...others } = fieldErrors.fields;
  useSettings.setState({ form: { ...form, [field]: value }, fieldErrors: { ...fieldErrors, fields: others }, saveOutcome: null });
}

function errorsFrom(error: FerryErrorShape): SortedProblems {
  return error.code === 'invalid-request' || error.code === 'config-invalid' ? sortProblems([error.message]) : NO_PROBLEMS;
}

export async function saveSettings(): Promise<void> {
  useSettings.setState({ saving: true, saveOutcome: null });
  const result = await ferry().invoke('config.save', { config: configFromForm(useSettings.getState().form) });
  if (result.ok) {
    showView(result.value);
    workspaceSaved(result.value);
    useSettings.setState({ saving: false, fieldErrors: NO_PROBLEMS, saveOutcome: { kind: 'saved', path: result.value.path } });
  } else {
    useSettings.setState({ saving: false, fieldErrors: errorsFrom(result.error), saveOutcome: { kind: 'error', error: result.error } });
  }
}

export async function testConnection(): Promise<void> {
  useSettings.setState({ testing: true, report: null, testError: null });
  const result = await ferry().invoke('doctor.run', { config: configFromForm(useSettings.getState().form) });
  if (result.ok) useSettings.setState({ testing: false, report: result.value });
  else useSettings.setState({ testing: false, testError: result.error, fieldErrors: errorsFrom(result.error) });
}
