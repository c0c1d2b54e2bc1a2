// The web host's side of "Open in Prodigy": one auth-adding proxy per open batch, and the tab address that uses it.
import type { CommandResponse } from '../../../shared/api.ts';
import type { Core } from '../core.ts';
import { startProdigyProxy, type ProdigyProxy } from './prodigy-proxy.ts';

export type ProdigyTabs = { readonly core: Core; close(): Promise<void> };

export function withProdigyTabs(core: Core, host: () => { readonly hostPort: number; readonly token: string }): ProdigyTabs {
  const proxies = new Map<string, ProdigyProxy>();

  async function proxyFor(opened: CommandResponse<'batches.open'>): Promise<ProdigyProxy> {
    const target = new URL(opened.url).origin;
    const existing = proxies.get(opened.batch.id);
    if (existing?.target === target) return existing;
    await existing?.close();
    const proxy = await startProdigyProxy({ target, ...opened.login, ...host() });
    proxies.set(opened.batch.id, proxy);
    return proxy;
  }

  const off = core.on('prodigy', (event) => {
    if (event.state !== 'stopped' && event.state !== 'failed') return;
    const proxy = proxies.get(event.batch);
    proxies.delete(event.batch);
    void proxy?.close();
  });

  const wrapped: Core = {
    ...core,
    async dispatch(command, request) {
      const result = await core.dispatch(command, request);
      if (command !== 'batches.open' || !result.ok) return result;
      const opened = result.value as CommandResponse<'batches.open'>;
      const proxy = await proxyFor(opened);
      const session = new URL(opened.url).search;
      const browserUrl = `http://127.0.0.1:${proxy.port}/${session}`;
      return { ok: true, value: { ...opened, browserUrl, loginNeeded: false } };
    },
  };

  return {
    core: wrapped,
    async close() {
      off();
      await Promise.all([...proxies.values()].map((p) => p.close()));
      proxies.clear();
    },
  };
}
