// Between the Settings form (strings and a checkbox) and the workspace schema; and from error text to the field it names.
import type { WorkspaceConfig, WorkspaceConfigInput } from '../../../../shared/config.ts';

export type FieldName = keyof WorkspaceConfig;

// Keyed by FieldName so a new schema field fails the build here (and keeps zod out of the renderer bundle).
export const FIELD_LABELS: Readonly<Record<FieldName, string>> = {
  bucket: 'Bucket',
  prefix: 'Prefix',
  awsRegion: 'AWS region',
  endpoint: 'Endpoint URL',
  forcePathStyle: 'Use path-style addresses',
  profile: 'AWS profile',
  annotator: 'Annotator name',
  region: 'Team region',
  dataDir: 'Data folder',
  prodigyCommand: 'Prodigy command',
  keepReady: 'Batches to keep ready',
};

export type WorkspaceForm = {
  readonly bucket: string;
  readonly prefix: string;
  readonly awsRegion: string;
  readonly endpoint: string;
  readonly forcePathStyle: boolean;
  readonly profile: string;
  readonly annotator: string;
  readonly region: string;
  readonly dataDir: string;
  readonly prodigyCommand: string;
  readonly keepReady: string;
};

export const DEFAULT_AWS_REGION = 'us-east-1';

// A new workspace starts from the schema's default region; an existing file shows what it holds (a field the file
// got wrong arrives absent, and stays empty beside its error rather than looking valid).
export function formFromConfig(config: Partial<WorkspaceConfig>, start: 'new' | 'existing' = 'new'): WorkspaceForm {
  return {
    bucket: config.bucket ?? '',
    prefix: config.prefix ?? '',
    awsRegion: config.awsRegion ?? (start === 'new' ? DEFAULT_AWS_REGION : ''),
    endpoint: config.endpoint ?? '',
    forcePathStyle: config.forcePathStyle ?? false,
    profile: config.profile ?? '',
    annotator: config.annotator ?? '',
    region: config.region ?? '',
    dataDir: config.dataDir ?? '',
    prodigyCommand: (config.prodigyCommand ?? []).join(' '),
    keepReady: config.keepReady ? String(config.keepReady) : '',
  };
}

// Empty optional fields are left out so the core applies its defaults (credential chain, `prodigy` on PATH).
export function configFromForm(form: WorkspaceForm): WorkspaceConfigInput {
  const argv = form.prodigyCommand.trim().split(/\s+/).filter((part) => part.length > 0);
  const keepReady = form.keepReady.trim();
  return {
    bucket: form.bucket.trim(),
    prefix: form.prefix.trim(),
    awsRegion: form.awsRegion.trim(),
    ...(form.endpoint.trim() ? { endpoint: form.endpoint.trim() } : {}),
    forcePathStyle: form.forcePathStyle,
    ...(form.profile ? { profile: form.profile } : {}),
    annotator: form.annotator.trim(),
    region: form.region.trim(),
    dataDir: form.dataDir.trim(),
    ...(argv.length > 0 ? { prodigyCommand: argv } : {}),
    // Not a number stays NaN, so the schema names the field ("a whole number of batches from 0 to 20").
    ...(keepReady && keepReady !== '0' ? { keepReady: /^\d+$/.test(keepReady) ? Number(keepReady) : Number.NaN } : {}),
  };
}

export type FieldErrors = Partial<Record<FieldName, string[]>>;
export type SortedProblems = { readonly fields: FieldErrors; readonly general: string[] };

const FIELD_PATTERN = new RegExp(`(?:^|\\s)(?:config\\.)?(${Object.keys(FIELD_LABELS).join('|')})(?:\\.\\d+)?: (.+)$`);

// Problems arrive as text such as `awsRegion: an AWS region…` (file problems) or
// `The request for "config.save" is not valid: config.region: …; config.bucket: …` (request validation).
export function sortProblems(messages: readonly string[]): SortedProblems {
  const fields: FieldErrors = {};
  const general: string[] = [];
  for (const message of messages) {
    for (const segment of message.split(/;\s+/)) {
      const match = FIELD_PATTERN.exec(segment);
      if (match) {
        const field = match[1] as FieldName;
        (fields[field] ??= []).push(readableFieldError(match[2]!.trim()));
      } else if (segment.trim()) {
        general.push(segment.trim());
      }
    }
  }
  return { fields, general };
}

// The schema's own messages are phrases ("a team region such as …"); zod's generic ones get a plain sentence.
export function readableFieldError(message: string): string {
  if (/^Too small: expected string to have >=1 characters?$/.test(message) || /received undefined$/.test(message)) return 'Required.';
  if (message === 'Invalid URL') return 'Should be a full URL such as https://s3.example.internal';
  if (/^(a|an|empty|letters)\b/.test(message)) return `Should be ${message}`;
  return `${message.charAt(0).toUpperCase()}${message.slice(1)}${/[.!?)]$/.test(message) ? '' : '.'}`;
}

export function fieldSummary(fields: FieldErrors): string {
  const names = (Object.keys(fields) as FieldName[]).map((field) => FIELD_LABELS[field]);
  return names.length === 1 ? `check ${names[0]}` : `check ${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
