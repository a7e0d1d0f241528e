import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLevel } from "../../benchmarks/loadgen/run-level";
import { readLoadManifest } from "../../benchmarks/loadgen/manifest";

const PROJECT = path.resolve(__dirname, "../..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-loadgen-"));

/** A stand-in model service on 127.0.0.1: basecalls after 40 ms, refuses reads named bad-*. */
let server: http.Server;
let target: string;
let inFlight = 0;
let maxInFlight = 0;
let received = 0;
const bodies: unknown[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      received += 1;
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        const read = JSON.parse(body) as { read_id: string; signal: number[] };
        bodies.push(read);
        if (request.url !== "/v1/basecall" || read.read_id.startsWith("bad-")) {
          response.writeHead(422, { "content-type": "application/json" }).end(JSON.stringify({ error: "refused" }));
          return;
        }
        response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ read_id: read.read_id, sequence: "ACGT".repeat(read.signal.length / 4) }));
      }, 40);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  target = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
});
afterAll(() => {
  server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function manifest(lines: object[]): string {
  const file = path.join(tmp, `m${Math.random()}.jsonl`);
  fs.writeFileSync(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  return file;
}

describe("loadgen against a real HTTP server", () => {
  it("keeps exactly the requested number of requests in flight and counts every one", async () => {
    const reads = [{ read_id: "r1", signal: Array(400).fill(1) }];
    for (const concurrency of [1, 4]) {
      maxInFlight = 0;
      received = 0;
      const result = await runLevel(reads, { target, concurrency, requests: 12, timeoutMs: 5000 });
      expect(maxInFlight).toBe(concurrency);
      expect(received).toBe(12);
      expect(result).toMatchObject({ concurrency, requests: 12, succeeded: 12, errors: {} });
      expect(result.bases_per_s).toBeCloseTo((12 * 400) / result.seconds, 6);
      expect(result.latency_p50_s).toBeGreaterThanOrEqual(0.04);
    }
  });

  it("accounts refused reads by status and unreachable targets as network errors", async () => {
    const reads = [{ read_id: "ok", signal: [1, 2, 3, 4] }, { read_id: "bad-1", signal: [1, 2, 3, 4] }];
    const result = await runLevel(reads, { target, concurrency: 2, requests: 10, timeoutMs: 5000 });
    expect(result).toMatchObject({ requests: 10, succeeded: 5, errors: { "422": 5 } });
    const down = await runLevel(reads, { target: "http://127.0.0.1:1", concurrency: 1, requests: 2, timeoutMs: 2000 });
    expect(down).toMatchObject({ succeeded: 0, errors: { network: 2 } });
  });

  it("reads signals inline or from files, and names a bad manifest line", () => {
    fs.writeFileSync(path.join(tmp, "read7.json"), "[5, 6, 7]");
    fs.writeFileSync(path.join(tmp, "read8.json"), JSON.stringify({ signal: [8, 9], sampling_rate: 4000 }));
    const file = manifest([{ read_id: "a", signal: [1, 2], sampling_rate: 5000 }, { read_id: "b", signal_file: "read7.json" }, { read_id: "c", signal_file: "read8.json" }]);
    expect(readLoadManifest(file)).toEqual([
      { read_id: "a", signal: [1, 2], sampling_rate: 5000 },
      { read_id: "b", signal: [5, 6, 7] },
      { read_id: "c", signal: [8, 9], sampling_rate: 4000 },
    ]);
    expect(() => readLoadManifest(manifest([{ read_id: "c", signal: [] }]))).toThrow(/:1: give signal/);
    expect(() => readLoadManifest(manifest([{ read_id: "d", signal: [1], sampling_rate: "fast" }]))).toThrow(/:1: sampling_rate must be a positive number/);
    expect(() => readLoadManifest(manifest([{ read_id: "e", signal_file: "gone.json" }]))).toThrow(/:1: signal file .*gone\.json does not exist/);
  });

  it("reads a TSV manifest of signal files, with or without a header and a sampling rate", () => {
    const tsv = path.join(tmp, "reads.tsv");
    fs.writeFileSync(tsv, "read_id\tsignal_file\tsampling_rate\nb\tread7.json\t4000\nc\tread8.json\n");
    expect(readLoadManifest(tsv)).toEqual([
      { read_id: "b", signal: [5, 6, 7], sampling_rate: 4000 },
      { read_id: "c", signal: [8, 9], sampling_rate: 4000 },
    ]);
    fs.writeFileSync(tsv, "b\tread7.json\nc read8.json\n");
    expect(() => readLoadManifest(tsv)).toThrow(/reads\.tsv:2: expected read_id<TAB>signal_file/);
  });

  it("sends the sampling rate only when the manifest gives one", async () => {
    bodies.length = 0;
    await runLevel([{ read_id: "s1", signal: [1, 2, 3, 4], sampling_rate: 4000 }, { read_id: "s2", signal: [1, 2, 3, 4] }], { target, concurrency: 1, requests: 2, timeoutMs: 5000 });
    expect(bodies).toEqual([
      { read_id: "s1", signal: [1, 2, 3, 4], sampling_rate: 4000 },
      { read_id: "s2", signal: [1, 2, 3, 4] },
    ]);
  });

  it("stops starting requests once --duration-s has passed", async () => {
    received = 0;
    const result = await runLevel([{ read_id: "r", signal: [1, 2, 3, 4] }], { target, concurrency: 2, requests: 10_000, durationS: 0.3, timeoutMs: 5000 });
    // The server answers no sooner than 40 ms after a request, so each of the two workers can have
    // started at most 8 requests before 0.3 s (at 0, 40, ..., 280 ms); a busy machine makes that
    // fewer, never more. Had the deadline been ignored, the 10,000 requests would run on.
    expect(result.requests).toBeLessThanOrEqual(16);
    expect(result.requests).toBeGreaterThanOrEqual(2);
    expect(received).toBe(result.requests);
    expect(result.succeeded + Object.values(result.errors).reduce((a, b) => a + b, 0)).toBe(result.requests);
    // Workers start requests until the deadline, and the last one takes its 40 ms on top.
    expect(result.seconds).toBeGreaterThanOrEqual(0.3);
  });

  it("reports each level from the command line", async () => {
    const file = manifest([{ read_id: "r", signal: Array(8).fill(0) }]);
    const out = path.join(tmp, "loadgen.json");
    const child = spawn(path.join(PROJECT, "node_modules/.bin/tsx"), ["benchmarks/cli.ts", "loadgen", "--target", target, "--concurrency", "1,2", "--manifest", file, "--requests", "4", "--json", "--out", out], { cwd: PROJECT });
    let stdout = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { levels: Array<{ concurrency: number; requests: number; succeeded: number }> };
    expect(report.levels.map((l) => [l.concurrency, l.requests, l.succeeded])).toEqual([[1, 4, 4], [2, 4, 4]]);
    expect(JSON.parse(fs.readFileSync(out, "utf8"))).toEqual(report);
  });

  it("exits 1 with one line when no request at a level succeeds, and checks --out before sending", () => {
    const file = manifest([{ read_id: "r", signal: [1, 2] }]);
    const run = (...extra: string[]) =>
      spawnSync(path.join(PROJECT, "node_modules/.bin/tsx"), ["benchmarks/cli.ts", "loadgen", "--target", "http://127.0.0.1:1", "--concurrency", "1", "--manifest", file, "--timeout-s", "2", ...extra], { cwd: PROJECT, encoding: "utf8" });
    const down = run();
    expect(down.status).toBe(1);
    expect(down.stderr.trim()).toBe("edgecall loadgen: no request to http://127.0.0.1:1/v1/basecall succeeded at concurrency 1 (failures: 1 network)");
    const badOut = run("--out", path.join(tmp, "missing-dir", "loadgen.json"));
    expect(badOut.status).toBe(1);
    expect(badOut.stdout).toBe("");
    expect(badOut.stderr.trim()).toMatch(/^edgecall loadgen: --out .*missing-dir\/loadgen\.json: cannot write \(ENOENT/);
  });
});
