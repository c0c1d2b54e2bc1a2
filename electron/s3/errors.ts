// Turns AWS SDK / network errors into FerryErrors a person can act on, and says which ones are worth retrying.
import { FerryError } from '../../shared/result.ts';

export type S3ErrorContext = {
  // The SDK operation (PutObject, GetObject, ListObjectsV2, …) or a plain verb: read, write, list, delete, head.
  readonly op: string;
  readonly bucket: string;
  readonly key?: string;
  readonly endpoint?: string;
  readonly profile?: string;
};

type SdkErrorLike = {
  name?: string;
  message?: string;
  code?: string;
  Code?: string;
  errors?: unknown[];
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string | undefined> };
  $retryable?: unknown;
};

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);
const BAD_CREDENTIAL_CODES = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'TokenRefreshRequired', 'InvalidToken', 'InvalidClientTokenId', 'ExpiredTokenException']);
const THROTTLE_CODES = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'ThrottledException', 'RequestLimitExceeded', 'TooManyRequestsException', 'RequestThrottled', 'RequestThrottledException', 'BandwidthLimitExceeded']);
const TRANSIENT_CODES = new Set(['InternalError', 'ServiceUnavailable', 'RequestTimeout', 'TimeoutError', 'ConditionalRequestConflict', 'OperationAborted']);

const VERBS: Record<string, string> = {
  PutObject: 'writing',
  CreateMultipartUpload: 'uploading',
  UploadPart: 'uploading',
  CompleteMultipartUpload: 'uploading',
  AbortMultipartUpload: 'cancelling the upload of',
  GetObject: 'reading',
  HeadObject: 'checking',
  ListObjectsV2: 'listing',
  DeleteObject: 'deleting',
  HeadBucket: 'opening the bucket',
  read: 'reading',
  write: 'writing',
  list: 'listing',
  delete: 'deleting',
  head: 'checking',
};
const PERMISSIONS: Record<string, string> = {
  PutObject: 's3:PutObject',
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
  AbortMultipartUpload: 's3:AbortMultipartUpload',
  GetObject: 's3:GetObject',
  HeadObject: 's3:GetObject',
  ListObjectsV2: 's3:ListBucket',
  DeleteObject: 's3:DeleteObject',
  HeadBucket: 's3:ListBucket',
  read: 's3:GetObject',
  write: 's3:PutObject',
  list: 's3:ListBucket',
  delete: 's3:DeleteObject',
  head: 's3:GetObject',
};

function asSdk(error: unknown): SdkErrorLike {
  return typeof error === 'object' && error !== null ? (error as SdkErrorLike) : { message: String(error) };
}

// Node 20's happy-eyeballs connect wraps per-address failures in an AggregateError.
function networkCode(e: SdkErrorLike): string | undefined {
  if (e.code && NETWORK_CODES.has(e.code)) return e.code;
  for (const inner of e.errors ?? []) {
    const code = asSdk(inner).code;
    if (code && NETWORK_CODES.has(code)) return code;
  }
  return e.name === 'TimeoutError' ? 'ETIMEDOUT' : undefined;
}

function s3CodeOf(e: SdkErrorLike): string {
  return e.Code ?? e.name ?? 'Error';
}

function whose(profile: string | undefined): string {
  return profile ? `the credentials of profile ${profile}` : 'the current AWS credentials';
}

function networkReason(code: string): string {
  if (code === 'ECONNREFUSED') return 'connection refused (nothing is listening there)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name could not be resolved';
  if (code === 'ETIMEDOUT') return 'it timed out';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED') return 'the connection was cut';
  return `the network is unreachable (${code})`;
}

function attachCause(ferr: FerryError, error: unknown): FerryError {
  ferr.cause = error;
  return ferr;
}

export function classifyS3Error(error: unknown, context: S3ErrorContext): FerryError {
  if (error instanceof FerryError) return error;
  const e = asSdk(error);
  const status = e.$metadata?.httpStatusCode;
  const code = s3CodeOf(e);
  const target = context.key !== undefined ? `s3://${context.bucket}/${context.key}` : `s3://${context.bucket}`;
  const verb = VERBS[context.op] ?? `running ${context.op} on`;
  const endpoint = context.endpoint ?? 'the S3 endpoint';
  const detail = `${context.op} ${target}: ${e.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${e.message ?? ''}`;
  const make = (c: ConstructorParameters<typeof FerryError>[0], message: string) => attachCause(new FerryError(c, message, detail), error);

  if (e.name === 'AbortError') return make('cancelled', `Cancelled while ${verb} ${target}.`);
  if (e.name === 'CredentialsProviderError' || /could not load credentials/i.test(e.message ?? '')) {
    return make(
      'credentials-missing',
      context.profile
        ? `No usable AWS credentials for profile ${context.profile}: ${(e.message ?? '').replace(/[.\s]+$/, '')}. Check that profile in ~/.aws/config and ~/.aws/credentials, or run \`aws sso login --profile ${context.profile}\` if it uses SSO.`
        : 'No AWS credentials found. Choose an AWS profile in Settings, set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment, or run `aws sso login`.',
    );
  }
  const net = networkCode(e);
  if (net) return make('endpoint-unreachable', `Cannot reach ${endpoint} while ${verb} ${target}: ${networkReason(net)}. Check the endpoint in Settings and your network connection.`);
  if (BAD_CREDENTIAL_CODES.has(code)) {
    const why = code === 'ExpiredToken' || code === 'TokenRefreshRequired' || code === 'ExpiredTokenException' ? 'have expired' : code === 'SignatureDoesNotMatch' ? 'have a wrong secret key' : 'are not known to the endpoint';
    return make('credentials-invalid', `S3 rejected ${whose(context.profile)} while ${verb} ${target}: they ${why} (${code}). Refresh them (e.g. \`aws sso login\`) or pick another profile in Settings.`);
  }
  if (code === 'NoSuchBucket' || (context.op === 'HeadBucket' && status === 404)) {
    return make('bucket-missing', `The bucket ${context.bucket} does not exist at ${endpoint}. Check the bucket name (and endpoint) in Settings.`);
  }
  if (code === 'PermanentRedirect' || code === 'AuthorizationHeaderMalformed' || status === 301) {
    const actual = e.$response?.headers?.['x-amz-bucket-region'];
    return make('config-invalid', `The bucket ${context.bucket} is in ${actual ? `region ${actual}` : 'another region'}, not the one in Settings; set awsRegion${actual ? ` to ${actual}` : ''}.`);
  }
  if (code === 'AccessDenied' || code === 'AllAccessDisabled' || status === 403) {
    const permission = PERMISSIONS[context.op] ?? context.op;
    const scope = context.op === 'HeadBucket' ? 'on this bucket' : PERMISSIONS[context.op] === 's3:ListBucket' ? `on bucket ${context.bucket} for this prefix` : 'on this prefix';
    return make('access-denied', `Access denied ${verb} ${target}: ${whose(context.profile)} lack ${permission} ${scope}.`);
  }
  if (status === 412 || code === 'PreconditionFailed') {
    return make('conflict', `${target} already exists or changed since Ferry read it (the conditional ${context.op} was refused).`);
  }
  if (code === 'NoSuchKey' || code === 'NotFound' || code === 'NoSuchUpload' || status === 404) {
    return make('not-found', code === 'NoSuchUpload' ? `The upload of ${target} no longer exists (it was cancelled or finished).` : `${target} does not exist.`);
  }
  if (status !== undefined && (status >= 500 || status === 429 || THROTTLE_CODES.has(code))) {
    return make('internal', `${endpoint} answered HTTP ${status} (${code}) while ${verb} ${target}; it is busy or failing, so try again shortly.`);
  }
  return make('internal', `S3 ${context.op} on ${target} failed: ${code}${status ? ` (HTTP ${status})` : ''}: ${e.message ?? 'no details'}.`);
}

// Worth trying again later (outbox): network trouble, throttling and 5xx — never bad credentials, 4xx or cancellation.
export function isRetryable(error: unknown): boolean {
  if (error instanceof FerryError) {
    if (error.code === 'endpoint-unreachable' || error.code === 'offline') return true;
    return error.cause !== undefined && error.cause !== error ? isRetryable(error.cause) : false;
  }
  const e = asSdk(error);
  if (e.name === 'AbortError') return false;
  if (networkCode(e)) return true;
  const code = s3CodeOf(e);
  if (THROTTLE_CODES.has(code) || TRANSIENT_CODES.has(code)) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  return Boolean(e.$retryable);
}
