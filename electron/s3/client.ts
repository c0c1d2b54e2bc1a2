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

// How a client reaches S3, for requests Ferry sends beside the SDK (lean-get.ts): the same agents, timeouts and attempts.
export type ClientTransport = {
  readonly httpAgent: HttpAgent;
  readonly httpsAgent: HttpsAgent;
  readonly connectionTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly maxAttempts: number;
  // Set for verifiedByCaller clients: SHA-256-verified downloads may take the lean GET path.
  readonly leanGets: boolean;
};
const transports = new WeakMap<S3Client, ClientTransport>();

export function endpointOf(config: Pick<WorkspaceConfig, 'endpoint' | 'awsRegion'>): string {
  return config.endpoint ?? `https://s3.${config.awsRegion}.amazonaws.com`;
}

export function credentialProviderFor(config: Pick<WorkspaceConfig, 'profile'>): CredentialProvider {
  // A named profile is taken from ~/.aws (incl. SSO, assume-role, credential_process); otherwise the whole default chain.
  return config.profile ? fromIni({ profile: config.profile }) : fromNodeProviderChain();
}

export function createS3Client(config: WorkspaceConfig, options: S3ClientOptions = {}): S3Client {
  const maxSockets = options.maxSockets ?? 64;
  const transport: ClientTransport = {
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
    connectionTimeoutMs: options.connectionTimeoutMs ?? 5_000,
    idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
    maxAttempts: options.maxAttempts ?? 4,
    leanGets: options.verifiedByCaller === true && !options.requestTimeoutMs,
  };
  const client = new S3Client({
    region: config.awsRegion,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    forcePathStyle: config.forcePathStyle,
    credentials: options.credentials ?? credentialProviderFor(config),
    maxAttempts: transport.maxAttempts,
    ...(options.verifiedByCaller ? { responseChecksumValidation: 'WHEN_REQUIRED' as const } : {}),
    requestHandler: {
      connectionTimeout: transport.connectionTimeoutMs,
      socketTimeout: transport.idleTimeoutMs,
      ...(options.requestTimeoutMs ? { requestTimeout: options.requestTimeoutMs, throwOnRequestTimeout: true } : {}),
      httpAgent: transport.httpAgent,
      httpsAgent: transport.httpsAgent,
    },
  });
  labels.set(client, { endpoint: endpointOf(config), profile: config.profile });
  transports.set(client, transport);
  return client;
}

// Only clients made by createS3Client have one; any other client keeps every request on the SDK.
export function clientTransport(client: S3Client): ClientTransport | undefined {
  return transports.get(client);
}

export function clientLabel(client: S3Client): ClientLabel {
  return labels.get(client) ?? { endpoint: 'the S3 endpoint', profile: undefined };
}

// The workspace prefix every key lives under ("" or "a/b/"), checked once more here because keys are built from it.
export function keyPrefix(config: Pick<WorkspaceConfig, 'prefix'>): string {
  return assertPrefix(config.prefix);
}
