// Harvesting outside the loop of an open session: once for a batch (Submit, `ferry sync`), and the store as the
// harvest sees it, where a full disk becomes `disk-full` naming the data folder (the transaction committed or not).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BatchManifestSchema } from '../../shared/batch.ts';
import { harvestAnswers, type HarvestStore } from '../harvest/harvest.ts';
import { diskFullError, isDiskFull } from '../publish/disk-full.ts';
import type { Batch } from '../store/store.ts';
import { batchPaths } from '../workspace/paths.ts';
import type { Workspace } from '../workspace/workspace.ts';

export function harvestStoreOf(ws: Workspace): HarvestStore {
  return {
    countAnswers: (batchId) => ws.store.countAnswers(batchId),
    recordAnswers(batchId, annotator, list) {
      try {
        return ws.store.recordAnswers(batchId, annotator, list);
      } catch (error) {
        if (isDiskFull(error)) throw diskFullError(error, ws.config.dataDir, `save the answers harvested from Prodigy for batch ${batchId}`);
        throw error;
      }
    },
  };
}

export async function harvestBatchOnce(ws: Workspace, batch: Batch, command: readonly string[], signal?: AbortSignal): Promise<void> {
  const paths = batchPaths(ws.config.dataDir, batch.project, batch.region, batch.batch);
  if (!existsSync(join(paths.prodigyHome, 'prodigy.db'))) return;
  const dataset = BatchManifestSchema.parse(batch.manifest).dataset;
  await harvestAnswers({ command, home: paths.prodigyHome, dataset, batchId: batch.id, annotator: ws.config.annotator, store: harvestStoreOf(ws), ...(signal ? { signal } : {}) });
}
