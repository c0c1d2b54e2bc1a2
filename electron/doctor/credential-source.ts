// Says where the SDK found credentials ("profile team-emea", "environment variables") — never the secret itself.
import type { WorkspaceConfig } from '../../shared/config.ts';

export type ResolvedIdentity = { readonly accessKeyId: string; readonly sessionToken?: string; readonly $source?: Record<string, unknown> };

export function describeCredentialSource(identity: ResolvedIdentity, config: Pick<WorkspaceConfig, 'profile'>, env: NodeJS.ProcessEnv = process.env): string {
  const source = identity.$source ?? {};
  const has = (...ids: string[]) => ids.some((id) => Object.hasOwn(source, id));
  const profile = config.profile ?? env.AWS_PROFILE ?? 'default';
  let where: string;
  if (has('CREDENTIALS_ENV_VARS')) where = 'environment variables (AWS_ACCESS_KEY_ID)';
  else if (has('CREDENTIALS_PROFILE_SSO', 'CREDENTIALS_SSO', 'CREDENTIALS_PROFILE_SSO_LEGACY', 'CREDENTIALS_SSO_LEGACY')) where = `AWS SSO (profile ${profile})`;
  else if (has('CREDENTIALS_PROFILE_PROCESS', 'CREDENTIALS_PROCESS')) where = `credential_process (profile ${profile})`;
  else if (has('CREDENTIALS_STS_ASSUME_ROLE', 'CREDENTIALS_PROFILE_SOURCE_PROFILE')) where = `an assumed role (profile ${profile})`;
  else if (has('CREDENTIALS_PROFILE', 'CREDENTIALS_PROFILE_NAMED_PROVIDER', 'CREDENTIALS_PROFILE_LOGIN')) where = `profile ${profile}`;
  else if (has('CREDENTIALS_ENV_VARS_STS_WEB_ID_TOKEN', 'CREDENTIALS_PROFILE_STS_WEB_ID_TOKEN', 'CREDENTIALS_STS_ASSUME_ROLE_WEB_ID')) where = 'a web identity token';
  else if (has('CREDENTIALS_IMDS')) where = 'the EC2 instance role';
  else if (has('CREDENTIALS_HTTP')) where = 'container credentials';
  else where = config.profile ? `profile ${config.profile}` : 'the default AWS credential chain';
  // The key id is not a secret, but its last four characters are enough to tell keys apart.
  const hint = identity.accessKeyId.length > 4 ? ` (access key …${identity.accessKeyId.slice(-4)}${identity.sessionToken ? ', temporary' : ''})` : '';
  return `${where}${hint}`;
}
