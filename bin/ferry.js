#!/usr/bin/env node
// The `ferry` command: loads the TypeScript core through tsx so the CLI, web host and tests share one source.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
