#!/usr/bin/env node
// The `ferry` command: loads the TypeScript core through tsx so the CLI, web host and tests share one source.
import { register } from 'tsx/esm/api';

// The pinned AWS SDK supports Node 20; its notice about future releases is not for Ferry's users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
const { main } = await import('../electron/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
