// A GET for objects Ferry verifies itself against a manifest SHA-256, without the SDK's per-request middleware (most
// of a batch pull's CPU). It is still the SDK's request where it matters: the client's endpoint rules (path or virtual
// host style, region), its own SigV4 signer and credential provider (cached, refreshed when they expire), its clock
// skew correction and its keep-alive agents; plus Range, connect/idle timeouts, cancel, and the SDK's retry policy.
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { setTimeout as wait } from 'node:timers/promises';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getEndpointFromInstructions } from '@smithy/core/endpoints';
import { extendedEncodeURIComponent, HttpRequest } from '@smithy/core/protocols';
import { clientTransport, type ClientTransport } from './client.ts';
import { isRetryable } from './errors.ts';
import { abortError, retryDelayMs, s3ErrorOf, sampleClockSkew, timeoutError } from './lean-response.ts';

export type ObjectBody = {
  // 206: the server honoured the Range; 200 from a ranged request means it sent the whole object.
  readonly partial: boolean;
  readonly length: number | undefined;
  readonly sha256Metadata: string | undefined;
  readonly body: Readable;
};
// A ranged GET from the end of the object or beyond: the .part already holds every byte.
export const RANGE_NOT_SATISFIABLE = 'range-not-satisfiable';
export type ObjectRead = ObjectBody | typeof RANGE_NOT_SATISFIABLE;
// Says in S3's access logs (and to tests) which requests took this path; not signed, as with the SDK's own.
export const LEAN_GET_USER_AGENT = 'ferry-lean-get/1';

type RequestSigner = Awaited<ReturnType<S3Client['config']['signer']>>;
type Route = {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly signer: RequestSigner;
  readonly signingRegion: string;
  readonly signingService: string;
  readonly skewCorrection: boolean;
};
type SignedRequest = { readonly request: HttpRequest; readonly at: number; readonly offset: number };
type ClockConfig = { systemClockOffset: number };

const routes = new WeakMap<S3Client, Map<string, Promise<Route | null>>>();

// The endpoint rules answer per bucket (the SDK caches them on the same parameters, the key is not one of them).
async function resolveRoute(client: S3Client, bucket: string): Promise<Route | null> {
  const endpoint = await getEndpointFromInstructions({ Bucket: bucket }, GetObjectCommand, { ...client.config });
  const scheme = endpoint.properties?.authSchemes?.[0] as { name?: string; signingName?: string; signingRegion?: string } | undefined;
  // S3 Express (session auth) and multi-region access points (SigV4a) stay on the SDK, which knows them.
  if (scheme?.name !== 'sigv4' || !scheme.signingRegion || !scheme.signingName) return null;
  const signer = await client.config.signer(scheme as Parameters<typeof client.config.signer>[0]);
  const headers = Object.fromEntries(Object.entries(endpoint.headers ?? {}).map(([name, values]) => [name, values.join(',')]));
  const skewCorrection = (await client.config.disableClockSkewCorrection?.()) !== true;
  return { url: new URL(endpoint.url.href), headers, signer, signingRegion: scheme.signingRegion, signingService: scheme.signingName, skewCorrection };
}

function routeFor(client: S3Client, bucket: string): Promise<Route | null> {
  let perBucket = routes.get(client);
  if (!perBucket) routes.set(client, (perBucket = new Map()));
  let route = perBucket.get(bucket);
  if (!route) {
    route = resolveRoute(client, bucket);
    perBucket.set(bucket, route);
    route.catch(() => perBucket.delete(bucket)); // a failed resolution is tried again next time
  }
  return route;
}

// The lean path, when this client and bucket allow it: a verifiedByCaller client made by createS3Client, plain SigV4.
export async function leanObjectReader(client: S3Client, bucket: string): Promise<((key: string, offset: number, signal?: AbortSignal) => Promise<ObjectRead>) | undefined> {
  const transport = clientTransport(client);
  if (!transport?.leanGets) return undefined;
  const route = await routeFor(client, bucket);
  if (!route) return undefined;
  return (key, offset, signal) => getObjectLean(client, transport, route, key, offset, signal);
}

// As the SDK's serializer writes GetObject's `/{Key+}`: each segment escaped, the slashes kept.
function objectPath(base: URL, key: string): string {
  const prefix = base.pathname.endsWith('/') ? base.pathname.slice(0, -1) : base.pathname;
  return `${prefix}/${key.split('/').map(extendedEncodeURIComponent).join('/')}`;
}

async function signGet(client: S3Client, route: Route, key: string, offset: number): Promise<SignedRequest> {
  const { url } = route;
  const clock = client.config as ClockConfig;
  const headers: Record<string, string> = { ...route.headers, host: url.host, 'user-agent': LEAN_GET_USER_AGENT };
  if (offset > 0) headers.range = `bytes=${offset}-`;
  const unsigned = new HttpRequest({
    method: 'GET',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: objectPath(url, key),
    query: {},
    headers,
  });
  const offsetAtSigning = clock.systemClockOffset;
  const signingDate = new Date(Date.now() + (route.skewCorrection ? offsetAtSigning : 0));
  const request = (await route.signer.sign(unsigned, { signingDate, signingRegion: route.signingRegion, signingService: route.signingService })) as HttpRequest;
  return { request, at: Date.now(), offset: offsetAtSigning };
}

function ignoreUntilRead(): void {
  // see send(): receiveBody reports it
}

// One attempt: resolves with the response once its headers are in; the idle timeout keeps watching the body.
function send(transport: ClientTransport, signed: HttpRequest, signal: AbortSignal | undefined): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const tls = signed.protocol === 'https:';
    const send = tls ? httpsRequest : httpRequest;
    let response: IncomingMessage | undefined;
    const request: ClientRequest = send({
      agent: tls ? transport.httpsAgent : transport.httpAgent,
      method: 'GET',
      hostname: signed.hostname.replace(/^\[(.*)\]$/, '$1'),
      ...(signed.port ? { port: signed.port } : {}),
      path: signed.path,
      headers: signed.headers,
    });
    const fail = (error: Error): void => {
      if (response) response.destroy(error);
      else request.destroy(error);
    };
    const onAbort = (): void => fail(abortError());
    signal?.addEventListener('abort', onAbort, { once: true });
    request.once('socket', (socket) => {
      if (!socket.connecting) return;
      const timer = setTimeout(() => fail(timeoutError(`Could not connect within ${transport.connectionTimeoutMs} ms`)), transport.connectionTimeoutMs);
      socket.once('connect', () => clearTimeout(timer));
      socket.once('close', () => clearTimeout(timer));
    });
    request.setTimeout(transport.idleTimeoutMs, () => fail(timeoutError(`No data for ${transport.idleTimeoutMs} ms`)));
    request.once('response', (res) => {
      response = res;
      signal?.removeEventListener('abort', onAbort);
      // Until the caller reads the body, a failure is kept on the stream (res.errored) rather than thrown unheard.
      res.on('error', ignoreUntilRead);
      resolve(res);
    });
    request.once('error', (error) => {
      signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    request.end();
  });
}

async function attempt(client: S3Client, transport: ClientTransport, route: Route, key: string, offset: number, signal: AbortSignal | undefined): Promise<ObjectRead> {
  const signed = await signGet(client, route, key, offset);
  const response = await send(transport, signed.request, signal);
  const status = response.statusCode ?? 0;
  const clockSkewed = route.skewCorrection && sampleClockSkew(client.config as ClockConfig, response.headers, signed);
  if (status === 200 || status === 206) {
    const sha256 = response.headers['x-amz-meta-sha256'];
    const length = Number(response.headers['content-length']);
    return { partial: status === 206, length: Number.isFinite(length) ? length : undefined, sha256Metadata: typeof sha256 === 'string' ? sha256 : undefined, body: response };
  }
  if (status === 416 && offset > 0) {
    response.resume();
    return RANGE_NOT_SATISFIABLE;
  }
  const error = await s3ErrorOf(response);
  throw clockSkewed ? Object.assign(error, { clockSkewCorrected: true }) : error;
}

// Retries what the SDK's standard strategy retries (network errors, timeouts, 5xx, throttling, a corrected clock).
async function getObjectLean(client: S3Client, transport: ClientTransport, route: Route, key: string, offset: number, signal: AbortSignal | undefined): Promise<ObjectRead> {
  for (let tries = 1; ; tries += 1) {
    try {
      return await attempt(client, transport, route, key, offset, signal);
    } catch (error) {
      if (signal?.aborted) throw abortError();
      const worthAnother = isRetryable(error) || (error as { clockSkewCorrected?: boolean }).clockSkewCorrected === true;
      if (tries >= transport.maxAttempts || !worthAnother) throw error;
      await pauseBeforeRetry(error, tries, signal);
    }
  }
}

export async function pauseBeforeRetry(error: unknown, tries: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await wait(retryDelayMs(error, tries), undefined, signal ? { signal } : {});
  } catch {
    throw abortError();
  }
}
