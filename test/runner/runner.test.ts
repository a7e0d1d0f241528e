import { ChildProcess } from "child_process";
import { runProgram } from "../helpers/run-program";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture } from "../benchmarks/fixtures";
import { VENV, startTestServer, venvMissing } from "./helpers/runner-env";

const missingVenv = venvMissing();
const klebsiella = fixture("fast5/r941_klebsiella_single");
const missing = missingVenv ?? klebsiella.missing;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-runner-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function bin(name: string, args: string[], env?: NodeJS.ProcessEnv) {
  return runProgram(path.join(VENV, "bin", name), args, { env });
}

describe.skipIf(missing !== undefined)("edgecall-runner batch with the test CTC network", () => {
  it("turns real FAST5 reads into a FASTQ with one record per read, timings and provenance", async () => {
    const converted = path.join(tmp, "converted");
    expect((await bin("edgecall-convert", ["--input", klebsiella.path, "--output", converted, "--model", "ctc-test"])).status).toBe(0);
    const out = path.join(tmp, "run");
    const result = await bin("edgecall-runner", ["batch", "--input", converted, "--output", out, "--model", "ctc-test", "--batch-size", "5", "--warmup", "3", "--idle-baseline-s", "0.2", "--run-info", '{"run_id": "t1", "repeat": 1}']);
    expect(result.stderr).toContain("48 reads basecalled by ctc-test");
    expect(result.status).toBe(0);
    const fastq = fs.readFileSync(path.join(out, "calls.fastq"), "utf8").trim().split("\n");
    expect(fastq).toHaveLength(48 * 4);
    const ids = fastq.filter((_l, i) => i % 4 === 0).map((h) => h.slice(1));
    expect(new Set(ids).size).toBe(48);
    for (let i = 0; i < 48; i++) expect(fastq[i * 4 + 1].length, ids[i]).toBe(fastq[i * 4 + 3].length);
    const timings = fs.readFileSync(path.join(out, "reads.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { read_id: string; samples: number; bases: number; warmup?: boolean });
    expect(timings.map((t) => t.read_id).sort()).toEqual([...ids].sort());
    expect(timings.filter((t) => t.warmup === true)).toHaveLength(3);
    // Longer signal, longer sequence: the network runs over the whole read.
    const byLength = [...timings].sort((a, b) => a.samples - b.samples);
    expect(byLength[47].bases).toBeGreaterThan(byLength[0].bases);
    const run = JSON.parse(fs.readFileSync(path.join(out, "run.json"), "utf8")) as Record<string, unknown>;
    expect(run).toMatchObject({ model: "ctc-test", run_id: "t1", repeat: 1, reads: 48, warmup_reads: 3, batch_size: 5, device: "cpu" });
    expect(String(run.weights_sha256)).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(String(run.end))).toBeGreaterThanOrEqual(Date.parse(String(run.start)));
    expect(run.baseline).toMatchObject({ start: expect.any(String), end: expect.any(String) });
  });

  it("lets the test network stand in for a model, under that model's name and saying so (the simulated cluster's images)", async () => {
    const converted = path.join(tmp, "converted-sacall");
    expect((await bin("edgecall-convert", ["--input", klebsiella.path, "--output", converted, "--model", "sacall"])).status).toBe(0);
    const out = path.join(tmp, "run-stand-in");
    const env = { ...process.env, EDGECALL_STAND_IN_MODEL: "ctc-test" };
    const result = await bin("edgecall-runner", ["batch", "--input", converted, "--output", out, "--model", "sacall"], env);
    expect(result.stderr).toContain("48 reads basecalled by sacall");
    const run = JSON.parse(fs.readFileSync(path.join(out, "run.json"), "utf8")) as Record<string, unknown>;
    expect(run).toMatchObject({ model: "sacall", stand_in: "ctc-test", upstream_commit: null, reads: 48 });
    const refused = await bin("edgecall-runner", ["batch", "--input", converted, "--output", out, "--model", "sacall"], { ...process.env, EDGECALL_STAND_IN_MODEL: "guppy" });
    expect(refused.stderr.trim()).toBe("edgecall-runner: EDGECALL_STAND_IN_MODEL='guppy': only ctc-test may stand in for a model");
  });

  it("names a missing input and an unknown model", async () => {
    const noInput = await bin("edgecall-runner", ["batch", "--input", path.join(tmp, "nowhere"), "--output", path.join(tmp, "o"), "--model", "ctc-test"]);
    expect(noInput.status).toBe(1);
    expect(noInput.stderr.trim()).toMatch(/nowhere\/reads\.npz: not found \(convert the reads with edgecall-convert first\)$/);
    const unknown = await bin("edgecall-runner", ["batch", "--input", tmp, "--output", path.join(tmp, "o"), "--model", "guppy"]);
    expect(unknown.stderr.trim()).toBe("edgecall-runner: unknown model 'guppy': one of ctc-test, catcaller, chiron, rodan, sacall");
  });
});

describe.skipIf(missingVenv !== undefined)("edgecall-runner serve", () => {
  let child: ChildProcess;
  let base: string;
  beforeAll(async () => {
    ({ base, child } = await startTestServer());
  });
  afterAll(() => {
    child?.kill();
  });

  const post = (body: string, type = "application/json") =>
    fetch(`${base}/v1/basecall`, { method: "POST", headers: { "content-type": type }, body }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
  const signal = Array.from({ length: 3000 }, (_v, i) => 80 + 20 * Math.sin(i / 7) + (i % 13));

  it("answers health, readiness and info", async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const info = (await (await fetch(`${base}/v1/info`)).json()) as Record<string, unknown>;
    expect(info).toMatchObject({ model: "ctc-test", device: "cpu" });
    expect(String(info.weights_sha256)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("basecalls a read over a real HTTP round trip, the same as batch does, with timings", async () => {
    const { status, body } = await post(JSON.stringify({ read_id: "r1", signal }));
    expect(status).toBe(200);
    expect(body.read_id).toBe("r1");
    expect(String(body.sequence)).toMatch(/^[ACGT]+$/);
    expect(String(body.quality)).toHaveLength(String(body.sequence).length);
    expect(body.timings).toMatchObject({ queue_s: expect.any(Number), inference_s: expect.any(Number), total_s: expect.any(Number) });
    // The same signal through batch, as reads.npz holds it (float32), must give the same call.
    const converted = path.join(tmp, "serve-vs-batch");
    fs.mkdirSync(converted, { recursive: true });
    const write = await runProgram(path.join(VENV, "bin", "python"), [
      "-c",
      "import json, sys, numpy; numpy.savez(sys.argv[1], r1=numpy.asarray(json.loads(sys.argv[2]), dtype='float32'))",
      path.join(converted, "reads.npz"),
      JSON.stringify(signal),
    ]);
    expect(write.status, write.stderr).toBe(0);
    const out = path.join(tmp, "serve-vs-batch-out");
    const batch = await bin("edgecall-runner", ["batch", "--input", converted, "--output", out, "--model", "ctc-test", "--batch-size", "1"]);
    expect(batch.status, batch.stderr).toBe(0);
    const [header, sequence, , quality] = fs.readFileSync(path.join(out, "calls.fastq"), "utf8").trim().split("\n");
    expect(header).toBe("@r1");
    expect(body.sequence).toBe(sequence);
    expect(body.quality).toBe(quality);
  });

  it("answers concurrent requests through the batcher, counting each read in exactly one batch", async () => {
    // How requests group into batches is checked by events in images/runner/tests/test_batcher.py;
    // over HTTP the grouping depends on when the requests arrive, so only the totals are asserted.
    const batchMetrics = async () => {
      const metrics = await (await fetch(`${base}/metrics`)).text();
      return { batches: Number(/^edgecall_batch_size_count (\d+)$/m.exec(metrics)?.[1]), reads: Number(/^edgecall_batch_size_sum (\S+)$/m.exec(metrics)?.[1]) };
    };
    const before = await batchMetrics();
    const results = await Promise.all(Array.from({ length: 8 }, (_v, i) => post(JSON.stringify({ read_id: `c${i}`, signal }))));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(results.map((r) => r.body.read_id).sort()).toEqual(Array.from({ length: 8 }, (_v, i) => `c${i}`).sort());
    const after = await batchMetrics();
    expect(after.reads - before.reads).toBe(8);
    expect(after.batches - before.batches).toBeGreaterThanOrEqual(2);
    expect(after.batches - before.batches).toBeLessThanOrEqual(8);
  });

  it.each([
    ["a body that is not JSON", "{not json", "application/json", 400, "the body is not JSON"],
    ["the wrong content type", JSON.stringify({ read_id: "x", signal }), "text/plain", 415, "Content-Type must be application/json"],
    ["a missing read_id", JSON.stringify({ signal }), "application/json", 422, "read_id must be a non-empty string"],
    ["an empty signal", JSON.stringify({ read_id: "x", signal: [] }), "application/json", 422, "signal must be a non-empty array of numbers"],
    ["a signal of strings", JSON.stringify({ read_id: "x", signal: ["a", "b"] }), "application/json", 422, "signal must contain only numbers"],
    ["NaN in a signal", '{"read_id": "x", "signal": [1, NaN, 3]}', "application/json", 422, "signal must contain only finite numbers (no NaN or Infinity)"],
    ["Infinity in a signal", '{"read_id": "x", "signal": [1, -Infinity]}', "application/json", 422, "signal must contain only finite numbers (no NaN or Infinity)"],
    ["a number too large for a float", '{"read_id": "x", "signal": [1, 1e999]}', "application/json", 422, "signal must contain only finite numbers (no NaN or Infinity)"],
    ["deeply nested JSON", "[".repeat(100_000) + "]".repeat(100_000), "application/json", 400, "the body is nested too deeply"],
  ])("refuses %s with a reason and keeps serving", async (_name, body, type, status, reason) => {
    const refused = await post(body as string, type as string);
    expect(refused).toEqual({ status, body: { error: reason } });
    expect((await post(JSON.stringify({ read_id: "after", signal }))).status).toBe(200);
  });

  it.each(["PUT", "DELETE", "PATCH", "OPTIONS"])("answers %s with 405, the method the path takes and a JSON reason", async (method) => {
    const answer = await fetch(`${base}/v1/basecall`, { method, headers: { "content-type": "application/json" }, body: method === "PUT" ? "{}" : undefined });
    expect(answer.status).toBe(405);
    expect(answer.headers.get("allow")).toBe("POST");
    expect(await answer.json()).toEqual({ error: `/v1/basecall takes POST, not ${method}` });
    expect((await fetch(`${base}/healthz`, { method: "POST", body: "x" })).status).toBe(405);
  });

  it("ignores query strings on the probes and the API", async () => {
    for (const probe of ["/healthz?x=1", "/readyz?probe=kubelet&t=2", "/v1/info?", "/metrics?name[]=edgecall_bases_total"]) {
      expect((await fetch(`${base}${probe}`)).status, probe).toBe(200);
    }
    expect((await fetch(`${base}/healthz?x=1`).then((r) => r.json()))).toEqual({ status: "alive" });
  });

  it("answers unknown paths with 404 and exposes Prometheus metrics", async () => {
    expect((await fetch(`${base}/v2/nothing`)).status).toBe(404);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    for (const line of metrics.trim().split("\n")) expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? [0-9.e+-]+)$/);
    expect(metrics).toMatch(/edgecall_requests_total\{model="ctc-test",path="\/v1\/basecall",status="422"\} [1-9]/);
    expect(metrics).toMatch(/^edgecall_bases_total\{model="ctc-test"\} [1-9]\d*$/m);
  });
});
