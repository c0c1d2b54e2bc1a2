// A small HTTP proxy of our own between Ferry and moto_server that injects S3 faults by rule: strip conditional
// headers, answer an S3 error (403, 503 SlowDown, 500 …), cut the connection after N bytes of the request or
// response body, stall the response, or never answer. Rules are matched per request, in order, and may be limited
// to the next K matching requests; an outage (refuse or blackhole every connection) is switched on the proxy itself.
import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

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
  // An S3 error answer: 403 AccessDenied by default; 503 SlowDown, 500 InternalError for bursts.
  | { readonly kind: 'deny'; readonly status?: number; readonly code?: string; readonly message?: string }
  // Holds the request back until `until` settles, then forwards it: makes a race between two writers deterministic.
  | { readonly kind: 'hold'; readonly until: Promise<unknown> }
  // Destroys the client's socket once `afterBytes` of the request body went upstream (side 'request'), or once that
  // many response body bytes reached the client (side 'response'; 0 = the upstream answered, the client hears nothing).
  | { readonly kind: 'reset'; readonly side: 'request' | 'response'; readonly afterBytes: number }
  // Holds the upstream's answer for `ms`: before the headers, or after `afterBytes` of the body (side 'body').
  | { readonly kind: 'stall'; readonly ms: number; readonly side?: 'headers' | 'body'; readonly afterBytes?: number }
  // Reads the request and never answers.
  | { readonly kind: 'blackhole' };
// `times`: the rule applies to the next `times` matching requests, then no more (a burst).
export type FaultRule = { readonly match?: FaultMatch; readonly action: FaultAction; readonly times?: number };
export type Outage = 'refuse' | 'blackhole';

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
  // 'refuse': connections are refused and open ones cut; 'blackhole': accepted and never answered; null: traffic flows.
  setOutage(mode: Outage | null): Promise<void>;
  // Faults actually injected, by action kind; a blackhole outage counts the connections and requests it swallowed.
  faults(): Readonly<Record<string, number>>;
  stop(): Promise<void>;
};

const CONDITIONAL_HEADERS = ['if-none-match', 'if-match', 'if-modified-since', 'if-unmodified-since'];
const TERMINAL = new Set<FaultAction['kind']>(['deny', 'blackhole']);

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

function matches(match: FaultMatch | undefined, method: string, kind: S3RequestKind, key: string): boolean {
  const m = match ?? {};
  if (m.methods && !m.methods.map((x) => x.toUpperCase()).includes(method.toUpperCase())) return false;
  if (m.kinds && !m.kinds.includes(kind)) return false;
  if (m.keyIncludes !== undefined && !key.includes(m.keyIncludes)) return false;
  return true;
}

export function s3ErrorXml(code: string, message: string, resource: string): string {
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

function delay(ms: number, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    res.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

type LiveRule = { rule: FaultRule; left: number };

export async function startFaultProxy(target: string, options: { rules?: readonly FaultRule[] } = {}): Promise<FaultProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let rules: LiveRule[] = [];
  const requests: ProxiedRequest[] = [];
  const counts: Record<string, number> = {};
  const sockets = new Set<Socket>();
  const swallowed = new Set<Socket>(); // held by a blackhole; cut when it ends so clients stop waiting on them
  let outage: Outage | null = null;
  const count = (kind: string) => (counts[kind] = (counts[kind] ?? 0) + 1);
  const setRules = (next: readonly FaultRule[]) => (rules = next.map((rule) => ({ rule, left: rule.times ?? Infinity })));
  setRules(options.rules ?? []);

  function actionsFor(method: string, kind: S3RequestKind, key: string): FaultAction[] {
    const applied: FaultAction[] = [];
    for (const live of rules) {
      if (live.left <= 0 || !matches(live.rule.match, method, kind, key)) continue;
      live.left -= 1;
      applied.push(live.rule.action);
    }
    return applied;
  }

  const server = createServer((req, res) => {
    const method = req.method ?? 'GET';
    const { kind, bucket, key } = classifyS3Request(method, req.url ?? '/');
    const applied = outage === 'blackhole' ? [{ kind: 'blackhole' } as const] : actionsFor(method, kind, key);
    const terminal = applied.find((a) => TERMINAL.has(a.kind));
    requests.push({ method, path: req.url ?? '/', kind, bucket, key, headers: { ...req.headers }, fault: terminal?.kind ?? applied.find((a) => a.kind !== 'hold')?.kind ?? applied[0]?.kind ?? null });
    if (outage === 'blackhole') count('blackhole-request');
    else for (const a of applied) if (a.kind !== 'hold' && a.kind !== 'strip-conditional-headers') count(a.kind);
    if (terminal?.kind === 'deny') return deny(req, res, terminal);
    if (terminal?.kind === 'blackhole') {
      req.resume();
      swallowed.add(req.socket);
      return;
    }
    const hold = applied.find((a): a is Extract<FaultAction, { kind: 'hold' }> => a.kind === 'hold');
    const go = () => forwardUpstream(req, res, applied);
    if (hold) void hold.until.then(go, go);
    else go();
  });
  server.on('connection', (socket: Socket) => {
    if (outage === 'refuse') {
      count('refuse');
      socket.destroy();
      return;
    }
    if (outage === 'blackhole') count('blackhole-connection');
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      swallowed.delete(socket);
    });
  });

  function forwardUpstream(req: IncomingMessage, res: ServerResponse, applied: readonly FaultAction[]): void {
    const method = req.method ?? 'GET';
    const headers: IncomingHttpHeaders = { ...req.headers };
    // Node already answered "100 Continue" to the client; the upstream must not wait for its own.
    delete headers.expect;
    if (applied.some((a) => a.kind === 'strip-conditional-headers')) for (const h of CONDITIONAL_HEADERS) delete headers[h];
    const reset = applied.find((a): a is Extract<FaultAction, { kind: 'reset' }> => a.kind === 'reset');
    const stall = applied.find((a): a is Extract<FaultAction, { kind: 'stall' }> => a.kind === 'stall');
    const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method, path: req.url, headers, agent }, (upstreamRes) => {
      void answer(res, upstreamRes, method, reset?.side === 'response' ? reset.afterBytes : null, stall).catch(() => res.destroy());
    });
    forward.on('error', (error) => {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`fault proxy: upstream failed: ${error.message}`);
      } else {
        res.destroy(error);
      }
    });
    res.once('close', () => {
      if (!res.writableFinished) forward.destroy();
    });
    if (reset?.side === 'request') {
      // Cut before the last byte at the latest, so the upstream never sees a complete request.
      const length = Number(req.headers['content-length'] ?? NaN);
      const cutAt = Number.isFinite(length) && length > 0 ? Math.min(reset.afterBytes, length - 1) : reset.afterBytes;
      let seen = 0;
      req.on('data', (chunk: Buffer) => {
        if (seen + chunk.length > cutAt) {
          forward.write(chunk.subarray(0, Math.max(0, cutAt - seen)));
          seen = cutAt;
          forward.destroy();
          req.socket.destroy();
          return;
        }
        seen += chunk.length;
        forward.write(chunk);
      });
      req.on('end', () => forward.end());
      return;
    }
    req.pipe(forward);
  }

  // Streams the upstream's answer to the client, stalling or cutting it as the rules say.
  async function answer(res: ServerResponse, upstreamRes: IncomingMessage, method: string, resetAfter: number | null, stall: Extract<FaultAction, { kind: 'stall' }> | undefined): Promise<void> {
    upstreamRes.pause();
    if (stall && (stall.side ?? 'headers') === 'headers') await delay(stall.ms, res);
    if (res.destroyed) return void upstreamRes.destroy();
    const length = Number(upstreamRes.headers['content-length'] ?? NaN);
    if (resetAfter !== null && (resetAfter === 0 || length === 0 || method === 'HEAD')) {
      upstreamRes.resume();
      res.socket?.destroy();
      return;
    }
    res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
    const cutAt = resetAfter === null ? Infinity : Number.isFinite(length) && length > 0 ? Math.min(resetAfter, length - 1) : resetAfter;
    const stallAt = stall?.side === 'body' ? (stall.afterBytes ?? 0) : Infinity;
    let sent = 0;
    for await (const piece of upstreamRes as AsyncIterable<Buffer>) {
      let chunk = piece;
      if (sent + chunk.length > stallAt && sent <= stallAt) {
        const head = chunk.subarray(0, stallAt - sent);
        res.write(head);
        sent += head.length;
        chunk = chunk.subarray(head.length);
        await delay(stall!.ms, res);
        if (res.destroyed) return void upstreamRes.destroy();
      }
      if (sent + chunk.length > cutAt) {
        res.write(chunk.subarray(0, cutAt - sent), () => res.socket?.destroy());
        upstreamRes.destroy();
        return;
      }
      sent += chunk.length;
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  }

  let port = 0;
  function listen(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }
  await listen();

  async function setOutage(mode: Outage | null): Promise<void> {
    const before = outage;
    outage = mode;
    if (mode === before) return;
    // An outage starts on every link at once: open keep-alive sockets are cut too (they would bypass it).
    for (const s of sockets) s.destroy();
    if (mode === 'refuse') {
      // Stop listening, so new connections are refused by the kernel (ECONNREFUSED), as a dead link would.
      await new Promise<void>((resolve) => server.close(() => resolve()));
    } else if (before === 'refuse') {
      await listen();
    }
  }

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    requests,
    setRules,
    setOutage,
    faults: () => ({ ...counts }),
    async stop() {
      outage = null;
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
