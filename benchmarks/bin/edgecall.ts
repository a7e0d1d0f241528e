#!/usr/bin/env node
/**
 * The `edgecall` command (package.json `bin`), compiled by `npm run build` to
 * dist/benchmarks/bin/edgecall.js: the CLI runs in this one process, with no loader.
 */
import { runCliAsProcess } from "../cli";

// As a container's command (the tools image's telemetry sidecar) this process is PID 1, which the
// kernel shields from every signal it has no handler for. A command that handles SIGTERM itself
// (`telemetry record` stops and flushes) adds its own listener; otherwise SIGTERM ends the process
// as it would any other.
process.on("SIGTERM", () => {
  if (process.listenerCount("SIGTERM") === 1) process.exit(128 + 15);
});
void runCliAsProcess(process.argv.slice(2));
