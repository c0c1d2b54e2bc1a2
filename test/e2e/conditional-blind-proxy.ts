// A pass-through to the S3 server that drops If-None-Match / If-Match, like an S3-compatible store that ignores them.
import { createServer, request } from 'node:http';

export type BlindProxy = { readonly endpoint: string; close(): Promise<void> };

const CONDITIONAL_HEADERS = ['if-none-match', 'if-match'] as const;

export async function startConditionalBlindProxy(target: string): Promise<BlindProxy> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const headers = { ...req.headers, host: upstream.host };
    for (const name of CONDITIONAL_HEADERS) delete headers[name];
    const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end(`proxy: ${error.message}`);
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
