// Types for build/before-pack.mjs (used by test/unit/shell/builder-config.test.ts).
export type ElectronSqliteTarget = { readonly electronVersion: string; readonly platform: string; readonly arch: string; readonly nativeDir?: string };
export function checkElectronSqlite(target: ElectronSqliteTarget): string | undefined;
export function beforePack(context: unknown): Promise<void>;
export default beforePack;
