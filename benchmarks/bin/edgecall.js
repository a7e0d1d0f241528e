#!/usr/bin/env node
// The `edgecall` command: runs the TypeScript CLI with tsx, so the installed command and
// `npx tsx benchmarks/cli.ts` are the same code.
const { spawnSync } = require("child_process");
const path = require("path");

const result = spawnSync(process.execPath, [require.resolve("tsx/cli"), path.join(__dirname, "..", "cli.ts"), ...process.argv.slice(2)], {
  stdio: "inherit",
});
if (result.error) {
  process.stderr.write(`edgecall: ${result.error.message}\n`);
  process.exit(1);
}
process.exit(result.status === null ? 1 : result.status);
