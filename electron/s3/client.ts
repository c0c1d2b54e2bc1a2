// Builds the one S3 client the core uses, from the workspace file and the standard AWS credential chain.
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { WorkspaceConfig } from '../../shared/config.ts';
import { assertPrefix } from '../../shared/s3-layout.ts';

export type CredentialsInput = NonNullable<S3ClientConfig['credentials']>;
export type CredentialProvider = ReturnType<typeof fromNodeProviderChain>;

export type S3ClientOptions = {
  readonly credentials?: CredentialsInput;
  readonly maxAttempts?: number;
  // Give up on a request that sends or receives nothing for this long (stalled link); not a cap on a long transfer.
  readonly idleTimeoutMs?: number;
  readonly connectionTimeoutMs?: number;
  // A hard cap on a whole request; only for short probes such as `doctor`.
  readonly requestTimeoutMs?: number;
  readonly maxSockets?: number;
  // For transfers Ferry verifies itself against a manifest's SHA-256 (batch pulls): skip the SDK's second checksum pass.
  readonly verifiedByCaller?: boolean;
};

// What error messages say about a client: where it points and whose credentials it uses.
export type ClientLabel = { readonly endpoint: string; readonly profile: string | undefined };
const labels = new WeakMap<S3Client, ClientLabel>();

export function endpointOf(config: Pick<WorkspaceConfig, 'endpoint' | 'awsRegion'>): string {
  return config.endpoint ?? `https://s3.${config.awsRegion}.amazonaws.com`;
}

export function credentialProviderFor(config: Pick<WorkspaceConfig, 'profile'>): CredentialProvider {
  // A named profile is taken from ~/.aws (incl. SSO, assume-role, credential_process); otherwise the whole default chain.
  return config.profile ? fromIni({ profile: config.profile }) : fromNodeProviderChain();
}

export function createS3Client(config: WorkspaceConfig, options: S3ClientOptions = {}): S3Client {
  const maxSockets = options.maxSockets ?? 64;
  const client = new S3Client({
    region: config.awsRegion,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    forcePathStyle: config.forcePathStyle,
    credentials: options.credentials ?? credentialProviderFor(config),
    maxAttempts: options.maxAttempts ?? 4,
    ...(options.verifiedByCaller ? { responseChecksumValidation: 'WHEN_REQUIRED' as const } : {}),
    requestHandler: {
      connectionTimeout: options.connectionTimeoutMs ?? 5_000,
      socketTimeout: options.idleTimeoutMs ?? 60_000,
      ...(options.requestTimeoutMs ? { requestTimeout: options.requestTimeoutMs, throwOnRequestTimeout: true } : {}),
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
    },
  });
  labels.set(client, { endpoint: endpointOf(config), profile: config.profile });
  return client;
}

export function clientLabel(client: S3Client): ClientLabel {
  return labels.get(client) ?? { endpoint: 'the S3 endpoint', profile: undefined };
}

// The workspace prefix every key lives under ("" or "a/b/"), checked once more here because keys are built from it.
export function keyPrefix(config: Pick<WorkspaceConfig, 'prefix'>): string {
  return assertPrefix(config.prefix);
}
