#!/usr/bin/env node
// The `edgecall` command: runs the TypeScript CLI on Node with tsx's loader, so the installed
// command and `npx tsx benchmarks/cli.ts` are the same code.
// SIGTERM is passed on to the CLI, and this process exits when the CLI does, with its status. As a
// container's command (the tools image's telemetry sidecar) this process is PID 1, which the
// kernel shields from any signal it has no handler for: without one, the kubelet's SIGTERM would
// be dropped and the recording would run on until the grace period ends in SIGKILL. The CLI runs
// under plain `node --import tsx` (Node 20.6 or later) rather than tsx's own command, which
// SIGKILLs a child that does not acknowledge a relayed signal within 30 ms.
const { spawn } = require("child_process");
const os = require("os");
const path = require("path");
const { pathToFileURL } = require("url");

const loader = pathToFileURL(require.resolve("tsx")).href;
const child = spawn(process.execPath, ["--import", loader, path.join(__dirname, "..", "cli.ts"), ...process.argv.slice(2)], {
  stdio: "inherit",
});
process.on("SIGTERM", () => child.kill("SIGTERM"));
child.on("error", (error) => {
  process.stderr.write(`edgecall: ${error.message}\n`);
  process.exit(1);
});
child.on("close", (code, signal) => process.exit(code ?? 128 + (os.constants.signals[signal] ?? 0)));
