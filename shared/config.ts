// The workspace file (`--config FILE`, FERRY_CONFIG, or the Settings screen): one schema for CLI, web host and app.
import { z } from 'zod';

export const AwsRegionSchema = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as eu-west-1');

export const WorkspaceConfigSchema = z
  .object({
    bucket: z.string().min(3, 'a bucket name of at least 3 characters'),
    prefix: z.string().regex(/^([^/].*\/)?$|^$/, 'empty, or a path ending in "/" such as "teams/ferry/"').default(''),
    awsRegion: AwsRegionSchema.default('us-east-1'),
    endpoint: z.url().optional(),
    forcePathStyle: z.boolean().default(false),
    profile: z.string().min(1).optional(),
    annotator: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, ".", "_" or "-" (no spaces)'),
    region: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'a team region such as "emea" (lower case, digits, "-")'),
    dataDir: z.string().min(1),
    prodigyCommand: z.array(z.string().min(1)).min(1).optional(),
    // "Keep N batches ready": claim and pull this many batches ahead while online, for working offline (0 = off).
    keepReady: z.number({ error: 'a whole number of batches from 0 to 20' }).int('a whole number of batches from 0 to 20').min(0, 'a whole number of batches from 0 to 20').max(20, 'a whole number of batches from 0 to 20').optional(),
  })
  .strict();

export type WorkspaceConfig = z.infer<typeof WorkspaceConfigSchema>;
export type WorkspaceConfigInput = z.input<typeof WorkspaceConfigSchema>;

export const CONFIG_FIELDS = Object.keys(WorkspaceConfigSchema.shape) as ReadonlyArray<keyof WorkspaceConfig>;

// Names the field and what it should be, e.g. `awsRegion: expected an AWS region such as eu-west-1`.
export function describeConfigIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (allowed: ${CONFIG_FIELDS.join(', ')})`;
    }
    const field = issue.path.length > 0 ? issue.path.join('.') : '(file)';
    return `${field}: ${issue.message}`;
  });
}
