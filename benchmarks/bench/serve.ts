/**
 * `npm run bench:serve [-- --requests N] [--samples N]`: what `edgecall-runner serve` with the test network
 * (ctc-test) sustains at 1, 8, 64 and 200 concurrent clients on this machine, driven by
 * `edgecall loadgen`'s own level runner with the fixtures' Klebsiella reads (converted as the
 * cluster's load Jobs do). It prints reads/s, p50 and p99 latency and failures per level.
 *
 * The server must not be what a load benchmark measures: its failures column should read 0 at
 * every level (a 503 or a reset would show there), and reads/s should level off where the model,
 * not the server, is busy. `--samples N` cuts every read to its first N samples, so that the model
 * takes little time and the server's own cost per request shows. Needs the runner tier's .venv-runner (test/setup/install-runner-tier.sh).
 */
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { readLoadManifest } from "../loadgen/manifest";
import { runLevel } from "../loadgen/run-level";

const PROJECT = path.resolve(__dirname, "../..");
const VENV = path.join(PROJECT, ".venv-runner");
const fixtures = process.env.EDGECALL_FIXTURES ?? path.resolve(PROJECT, "../shared/fixtures");
const LEVELS = [1, 8, 64, 200];
const BATCH_SIZE = 8;

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  const value = index < 0 ? fallback : Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function startServer(port: number): Promise<ChildProcess> {
  const child = spawn(path.join(VENV, "bin", "edgecall-runner"), ["serve", "--model", "ctc-test", "--host", "127.0.0.1", "--port", String(port), "--batch-size", String(BATCH_SIZE)], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 300; i++) {
    if ((await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status, () => 0)) === 200) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error("edgecall-runner serve never became ready");
}

async function main(): Promise<void> {
  // Each level sends at least this many reads, and at least twice its concurrency, so every client
  // sends more than once and the level is measured at its full concurrency.
  const minimum = option("--requests", 96);
  const input = path.join(fixtures, "fast5/r941_klebsiella_single");
  if (!fs.existsSync(path.join(VENV, "bin", "edgecall-runner"))) throw new Error(`${VENV}: missing (run test/setup/install-runner-tier.sh)`);
  if (!fs.existsSync(input)) throw new Error(`${input}: no such directory (set EDGECALL_FIXTURES)`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-bench-serve-"));
  let server: ChildProcess | undefined;
  try {
    const converted = spawnSync(path.join(VENV, "bin", "edgecall-convert"), ["--input", input, "--output", tmp, "--model", "ctc-test"], { encoding: "utf8" });
    if (converted.status !== 0) throw new Error(`edgecall-convert failed: ${converted.stderr.trim()}`);
    const cut = process.argv.includes("--samples") ? option("--samples", 1) : undefined;
    const reads = readLoadManifest(path.join(tmp, "load.jsonl")).map((r) => (cut === undefined ? r : { ...r, signal: r.signal.slice(0, cut) }));
    const samples = reads.map((r) => r.signal.length).sort((a, b) => a - b);
    const port = await freePort();
    server = await startServer(port);
    const target = `http://127.0.0.1:${port}`;
    process.stdout.write(`serve: ctc-test, batch size ${BATCH_SIZE}, default limits; ${reads.length} reads (median ${samples[samples.length >> 1]} samples), ${os.cpus().length} CPUs\n`);
    await runLevel(reads, { target, concurrency: 1, requests: 4, timeoutMs: 120_000 }); // warm-up, not reported
    process.stdout.write("clients\trequests\tfailures\treads/s\tp50_s\tp99_s\n");
    for (const concurrency of LEVELS) {
      const r = await runLevel(reads, { target, concurrency, requests: Math.max(minimum, 2 * concurrency), timeoutMs: 300_000 });
      const failures = Object.entries(r.errors).map(([kind, n]) => `${n} ${kind}`).join(", ") || "0";
      const f = (v: number | null): string => (v === null ? "NA" : v.toFixed(3));
      process.stdout.write(`${concurrency}\t${r.requests}\t${failures}\t${r.reads_per_s.toFixed(1)}\t${f(r.latency_p50_s)}\t${f(r.latency_p99_s)}\n`);
    }
  } finally {
    server?.kill();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:serve: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
