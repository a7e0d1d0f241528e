import { spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chunkFor, runReadUntilLevel } from "../../benchmarks/loadgen/read-until";
import { ReadUntilReport, servedChannels } from "../../domain/read-until";

const PROJECT = path.resolve(__dirname, "../..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-read-until-"));

/**
 * A stand-in model service on 127.0.0.1 that calls one chunk at a time, 20 ms each: 50 chunks fit in
 * a 1 s decision interval, so 8 channels (0.16 s a round) are served in time even on a busy machine,
 * and 128 (2.6 s a round) are not.
 */
let server: http.Server;
let target: string;
let queue = Promise.resolve();
const lengths: number[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      queue = queue.then(
        () =>
          new Promise<void>((resolve) =>
            setTimeout(() => {
              const read = JSON.parse(body) as { read_id: string; signal: number[] };
              lengths.push(read.signal.length);
              response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ read_id: read.read_id, sequence: "ACGT" }));
              resolve();
            }, 20),
          ),
      );
    });
  });
  server.maxConnections = 1000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  target = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
});
afterAll(() => {
  server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const reads = [{ read_id: "a", signal: Array.from({ length: 5000 }, (_, i) => i) }, { read_id: "b", signal: Array.from({ length: 900 }, (_, i) => -i) }];

describe("loadgen --read-until against a real HTTP server", () => {
  it("cuts each channel's chunk of the decision interval's length from real signal, a short read repeated", () => {
    expect(chunkFor(reads, 0, 0, 2000)).toEqual(reads[0].signal.slice(0, 2000));
    expect(chunkFor(reads, 0, 1, 2000)).toHaveLength(2000);
    const short = chunkFor(reads, 1, 0, 2000);
    expect(short).toHaveLength(2000);
    expect(short.slice(900, 905)).toEqual([-0, -1, -2, -3, -4]);
  });

  it("serves a channel count in time below the service's rate and not far above it", async () => {
    lengths.length = 0;
    const few = await runReadUntilLevel(reads, { target, channels: 8, chunkS: 1, sampleRateHz: 2000, rounds: 3 });
    expect(few).toMatchObject({ channels: 8, chunks: 24, errors: {} });
    expect(few.in_time_share).toBeGreaterThanOrEqual(0.95);
    expect(new Set(lengths)).toEqual(new Set([2000]));
    await queue;
    const many = await runReadUntilLevel(reads, { target, channels: 128, chunkS: 1, sampleRateHz: 2000, rounds: 2 });
    expect(many.chunks).toBe(256);
    expect(many.in_time_share).toBeLessThan(0.5);
    expect(many.latency_p95_s ?? Infinity).toBeGreaterThan(1);
    expect(servedChannels([few, many], 0.95)).toBe(8);
    expect(servedChannels([many], 0.95)).toBeNull();
  });

  it("through the CLI: a report with the served channel count, and one-line errors for bad options", async () => {
    // The last test's late chunks are still in the service's queue after the client gave up on them.
    await queue;
    const manifest = path.join(tmp, "load.jsonl");
    fs.writeFileSync(manifest, reads.map((r) => JSON.stringify(r)).join("\n") + "\n");
    const out = path.join(tmp, "read-until.json");
    const cli = (...args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(path.join(PROJECT, "node_modules/.bin/tsx"), ["benchmarks/cli.ts", "loadgen", ...args], { cwd: PROJECT });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
        child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
        child.on("close", (code) => resolve({ code, stdout, stderr }));
      });
    const run = await cli("--read-until", "--target", target, "--manifest", manifest, "--channels", "4,16", "--rounds", "2", "--out", out);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    // How many are in time depends on this machine's load (the test above checks that): here, that
    // the report holds every level and names as served what its own shares say.
    const report = JSON.parse(fs.readFileSync(out, "utf8")) as ReadUntilReport;
    expect(report.levels.map((l) => [l.channels, l.chunks])).toEqual([[4, 8], [16, 32]]);
    expect(report.served_channels).toBe(servedChannels(report.levels, 0.95));
    const served = report.served_channels === null ? "no channel count" : `${report.served_channels} channels`;
    expect(run.stdout).toContain(`served in time (95% of chunks within 0.4 s): ${served}\n`);
    const bad = await cli("--read-until", "--target", target, "--manifest", manifest, "--chunk-s", "0");
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toBe("edgecall loadgen: --chunk-s must be a positive number, got 0\n");
  });
});
