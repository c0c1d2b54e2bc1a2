// A small HTTP proxy of our own between Ferry and moto_server that injects S3 faults by rule:
// strip conditional headers (a store that ignores If-None-Match/If-Match), or answer 403 AccessDenied for chosen requests.
// Rules are matched per request, in order; grow new actions (resets, stalls, 5xx) here.
import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type S3RequestKind =
  | 'list'
  | 'head-bucket'
  | 'create-bucket'
  | 'get-object'
  | 'head-object'
  | 'put-object'
  | 'delete-object'
  | 'create-multipart'
  | 'upload-part'
  | 'complete-multipart'
  | 'abort-multipart'
  | 'other';

export type FaultMatch = {
  readonly methods?: readonly string[];
  readonly kinds?: readonly S3RequestKind[];
  readonly keyIncludes?: string;
};
export type FaultAction =
  | { readonly kind: 'strip-conditional-headers' }
  | { readonly kind: 'deny'; readonly status?: number; readonly code?: string; readonly message?: string }
  // Holds the request back until `until` settles, then forwards it: makes a race between two writers deterministic.
  | { readonly kind: 'hold'; readonly until: Promise<unknown> };
export type FaultRule = { readonly match?: FaultMatch; readonly action: FaultAction };

export type ProxiedRequest = {
  readonly method: string;
  readonly path: string;
  readonly kind: S3RequestKind;
  readonly bucket: string;
  readonly key: string;
  readonly headers: IncomingHttpHeaders;
  readonly fault: FaultAction['kind'] | null;
};

export type FaultProxy = {
  readonly endpoint: string;
  readonly port: number;
  // Every request seen, with the headers as the client sent them (before any rule changed them).
  readonly requests: ProxiedRequest[];
  setRules(rules: readonly FaultRule[]): void;
  stop(): Promise<void>;
};

const CONDITIONAL_HEADERS = ['if-none-match', 'if-match', 'if-modified-since', 'if-unmodified-since'];

// Path-style addressing only (the tests' clients use forcePathStyle): /bucket[/key]?query
export function classifyS3Request(method: string, rawUrl: string): { kind: S3RequestKind; bucket: string; key: string } {
  const url = new URL(rawUrl, 'http://proxy.invalid');
  const [, bucket = '', ...rest] = url.pathname.split('/');
  const key = decodeURIComponent(rest.join('/'));
  const q = url.searchParams;
  const m = method.toUpperCase();
  if (key === '') {
    if (m === 'GET') return { kind: 'list', bucket, key };
    if (m === 'HEAD') return { kind: 'head-bucket', bucket, key };
    if (m === 'PUT') return { kind: 'create-bucket', bucket, key };
    return { kind: 'other', bucket, key };
  }
  if (m === 'GET') return { kind: 'get-object', bucket, key };
  if (m === 'HEAD') return { kind: 'head-object', bucket, key };
  if (m === 'PUT') return { kind: q.has('uploadId') && q.has('partNumber') ? 'upload-part' : 'put-object', bucket, key };
  if (m === 'POST' && q.has('uploads')) return { kind: 'create-multipart', bucket, key };
  if (m === 'POST' && q.has('uploadId')) return { kind: 'complete-multipart', bucket, key };
  if (m === 'DELETE') return { kind: q.has('uploadId') ? 'abort-multipart' : 'delete-object', bucket, key };
  return { kind: 'other', bucket, key };
}

function matches(rule: FaultRule, method: string, kind: S3RequestKind, key: string): boolean {
  const m = rule.match ?? {};
  if (m.methods && !m.methods.map((x) => x.toUpperCase()).includes(method.toUpperCase())) return false;
  if (m.kinds && !m.kinds.includes(kind)) return false;
  if (m.keyIncludes !== undefined && !key.includes(m.keyIncludes)) return false;
  return true;
}

function s3ErrorXml(code: string, message: string, resource: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${esc(code)}</Code><Message>${esc(message)}</Message><Resource>${esc(resource)}</Resource><RequestId>fault-proxy</RequestId></Error>`;
}

function deny(req: IncomingMessage, res: ServerResponse, action: Extract<FaultAction, { kind: 'deny' }>): void {
  // Drain the body first so the client is not cut off mid-upload before it reads our answer.
  req.resume();
  req.once('end', () => {
    const body = req.method === 'HEAD' ? '' : s3ErrorXml(action.code ?? 'AccessDenied', action.message ?? 'Access Denied', req.url ?? '/');
    res.writeHead(action.status ?? 403, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), 'x-amz-request-id': 'fault-proxy' });
    res.end(body);
  });
}

export async function startFaultProxy(target: string, options: { rules?: readonly FaultRule[] } = {}): Promise<FaultProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let rules: readonly FaultRule[] = options.rules ?? [];
  const requests: ProxiedRequest[] = [];

  const server = createServer((req, res) => {
    const method = req.method ?? 'GET';
    const { kind, bucket, key } = classifyS3Request(method, req.url ?? '/');
    const applied = rules.filter((r) => matches(r, method, kind, key)).map((r) => r.action);
    const terminal = applied.find((a) => a.kind === 'deny');
    requests.push({ method, path: req.url ?? '/', kind, bucket, key, headers: { ...req.headers }, fault: terminal?.kind ?? applied[0]?.kind ?? null });
    if (terminal?.kind === 'deny') return deny(req, res, terminal);

    const hold = applied.find((a): a is Extract<FaultAction, { kind: 'hold' }> => a.kind === 'hold');
    const go = () => forwardUpstream(req, res, applied);
    if (hold) void hold.until.then(go, go);
    else go();
  });

  function forwardUpstream(req: IncomingMessage, res: ServerResponse, applied: readonly FaultAction[]): void {
    const method = req.method ?? 'GET';
    const headers: IncomingHttpHeaders = { ...req.headers };
    // Node already answered "100 Continue" to the client; the upstream must not wait for its own.
    delete headers.expect;
    if (applied.some((a) => a.kind === 'strip-conditional-headers')) for (const h of CONDITIONAL_HEADERS) delete headers[h];
    const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method, path: req.url, headers, agent }, (upstreamRes) => {
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
      upstreamRes.pipe(res);
    });
    forward.on('error', (error) => {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`fault proxy: upstream failed: ${error.message}`);
      } else {
        res.destroy(error);
      }
    });
    req.pipe(forward);
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    requests,
    setRules(next) {
      rules = next;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
