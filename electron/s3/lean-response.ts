// What the lean GET makes of an answer that is not the object: S3's XML error as the SDK would have thrown it (so
// classifyS3Error and isRetryable treat both paths alike), timeouts and cancels with the SDK's names, and back-off.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

// An error body longer than this is not S3's XML; the rest is not read.
const ERROR_BODY_LIMIT = 64 * 1024;
// The SDK's standard retry strategy: full jitter over 100 ms × 2^attempt (500 ms when throttled), at most 20 s.
const RETRY_BASE_MS = 100;
const THROTTLED_BASE_MS = 500;
const RETRY_CAP_MS = 20_000;

// Shaped like the SDK's ServiceException: `name` is S3's error code, `$metadata.httpStatusCode` the status.
export class S3ResponseError extends Error {
  readonly Code: string;
  readonly $metadata: { readonly httpStatusCode: number; readonly requestId: string | undefined };
  readonly $response: { readonly statusCode: number; readonly headers: IncomingHttpHeaders };
  readonly $fault: 'client' | 'server';

  constructor(code: string, message: string, status: number, headers: IncomingHttpHeaders) {
    super(message);
    this.name = code;
    this.Code = code;
    const requestId = headers['x-amz-request-id'];
    this.$metadata = { httpStatusCode: status, requestId: typeof requestId === 'string' ? requestId : undefined };
    this.$response = { statusCode: status, headers };
    this.$fault = status >= 500 ? 'server' : 'client';
  }
}

// The names the SDK gives a failure without an S3 error body.
const STATUS_NAMES: Record<number, string> = { 301: 'PermanentRedirect', 400: 'BadRequest', 403: 'Forbidden', 404: 'NotFound', 412: 'PreconditionFailed', 416: 'InvalidRange', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable' };

function xmlText(xml: string, tag: string): string | undefined {
  const found = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];
  return found?.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

export function s3ErrorFromXml(status: number, headers: IncomingHttpHeaders, xml: string): S3ResponseError {
  const code = xmlText(xml, 'Code') ?? STATUS_NAMES[status] ?? `HTTP${status}`;
  return new S3ResponseError(code, xmlText(xml, 'Message') ?? `HTTP ${status}`, status, headers);
}

// Reads S3's (small) error body and turns it into the error the SDK would have thrown.
export async function s3ErrorOf(response: IncomingMessage): Promise<S3ResponseError> {
  const status = response.statusCode ?? 0;
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      if (length < ERROR_BODY_LIMIT) chunks.push(chunk);
      length += chunk.length;
    }
  } catch {
    // A cut while reading an error body: the status alone still says what happened.
  }
  return s3ErrorFromXml(status, response.headers, Buffer.concat(chunks).toString('utf8'));
}

export function timeoutError(message: string): Error {
  return Object.assign(new Error(message), { name: 'TimeoutError', code: 'ETIMEDOUT' });
}

export function abortError(): Error {
  return Object.assign(new Error('The request was aborted'), { name: 'AbortError', code: 'ABORT_ERR' });
}

export function isThrottled(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === 503 || status === 429;
}

export function retryDelayMs(error: unknown, attempt: number): number {
  const base = isThrottled(error) ? THROTTLED_BASE_MS : RETRY_BASE_MS;
  return Math.floor(Math.min(RETRY_CAP_MS, Math.random() * 2 ** attempt * base));
}

// The clock offset the SDK's signer keeps (systemClockOffset), updated from a server's Date as the SDK's SigV4 signer
// does: only when the offset in use is 5 minutes or more off the server's clock. True when this request was signed 5
// minutes or more off, i.e. one refused for a skewed clock is worth signing again with the corrected offset.
const SKEW_MS = 300_000;
export function sampleClockSkew(config: { systemClockOffset: number }, headers: IncomingHttpHeaders, signed: { readonly at: number; readonly offset: number }): boolean {
  const serverTime = Date.parse(headers.date ?? '');
  const receivedAt = Date.now();
  if (Number.isNaN(serverTime) || headers.age !== undefined || receivedAt - signed.at > 900_000) return false;
  if (Math.abs(receivedAt + config.systemClockOffset - serverTime) >= SKEW_MS) config.systemClockOffset = serverTime - receivedAt;
  // Signed with an offset that far off (by this request, or before another one corrected it): sign again.
  return Math.abs(receivedAt + signed.offset - serverTime) >= SKEW_MS;
}
