import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture } from "../benchmarks/fixtures";
import { runProgram } from "../helpers/run-program";
import { waitFor } from "../helpers/wait-for";
import { PROJECT, freePort, venvMissing } from "../runner/helpers/runner-env";
import { MODELS_VENV, modelsTierMissing, pinnedCommit } from "./helpers/models-env";
import { convertedReads, modelEnv, sha256Of, upstreamWithWeights as preparedUpstream } from "./helpers/prepared";

// Each PyTorch adapter against its upstream code at the pinned commit: the network built by the
// upstream module with random parameters (the published weights cannot be had here), saved in the
// layout upstream's training writes, and real FAST5 reads through `edgecall-runner batch`. Debian's
// CPU PyTorch stands in for the boards' CUDA build, and CATCaller runs its pure-PyTorch convolutions
// (its fairseq CUDA kernels need a GPU). Two reads, each cut to its first 10,000 samples (3 RODAN
// windows, 5 SACall or CATCaller windows), keep the tier within minutes on 2 cores.
const missing = modelsTierMissing() ?? venvMissing() ?? fixture("fast5/r941_klebsiella_single").missing;
const SAMPLES = 10_000;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-models-"));
let input = "";

interface ModelCase {
  model: "rodan" | "sacall" | "catcaller";
  /** Samples per window, and samples per output step (the product of the network's strides). */
  window: number;
  stride: number;
}
const CASES: ModelCase[] = [
  { model: "rodan", window: 4096, stride: 10 },
  { model: "sacall", window: 2048, stride: 4 },
  { model: "catcaller", window: 2048, stride: 4 },
];

/** The model's upstream tree and a random checkpoint in its layout, made once per run. */
const upstreamWithWeights = preparedUpstream(tmp);

function parseFastq(text: string): Array<{ id: string; sequence: string; quality: string }> {
  const lines = text.trimEnd().split("\n");
  const records = [];
  for (let i = 0; i < lines.length; i += 4) {
    expect(lines[i].startsWith("@") && lines[i + 2] === "+", `FASTQ record at line ${i + 1}`).toBe(true);
    records.push({ id: lines[i].slice(1), sequence: lines[i + 1], quality: lines[i + 3] });
  }
  return records;
}

describe.skipIf(missing !== undefined)("the PyTorch models through their upstream code", () => {
  let readIds: string[] = [];

  beforeAll(async () => {
    ({ input, readIds } = await convertedReads(tmp, SAMPLES));
  }, 120_000);
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it.each(CASES)("$model turns the fixture reads into a FASTQ through its upstream network", async ({ model, window, stride }) => {
    const { upstream, weights } = await upstreamWithWeights(model);
    const out = path.join(tmp, `batch-${model}`);
    const run = await runProgram(path.join(MODELS_VENV, "bin", "edgecall-runner"),
      ["batch", "--input", input, "--output", out, "--model", model, "--batch-size", "2", "--device", "cpu"],
      { env: modelEnv(model, upstream, weights), timeoutMs: 600_000 });
    expect(run.status, run.stderr).toBe(0);

    const records = parseFastq(fs.readFileSync(path.join(out, "calls.fastq"), "utf8"));
    expect(records.map((r) => r.id).sort()).toEqual(readIds);
    const maxBases = Math.ceil(SAMPLES / window) * Math.ceil(window / stride);
    for (const record of records) {
      expect(record.sequence).toMatch(/^[ACGT]+$/);
      expect(record.sequence.length).toBeLessThanOrEqual(maxBases);
      expect(record.quality).toHaveLength(record.sequence.length);
      expect(record.quality).toMatch(/^[!-S]+$/);
    }
    const runInfo = JSON.parse(fs.readFileSync(path.join(out, "run.json"), "utf8")) as Record<string, unknown>;
    expect(runInfo).toMatchObject({
      model,
      reads: readIds.length,
      device: "cpu",
      precision: "fp32",
      upstream_commit: pinnedCommit(model),
      weights_sha256: sha256Of(weights),
      weights_verified: true,
    });
    expect(runInfo.framework_versions).toEqual({ torch: expect.stringMatching(/^\d+\.\d+/) });
  }, 600_000);

  it("refuses --precision fp16 without CUDA, naming the model and what to use", async () => {
    const { upstream, weights } = await upstreamWithWeights("rodan");
    const run = await runProgram(path.join(MODELS_VENV, "bin", "edgecall-runner"),
      ["batch", "--input", input, "--output", path.join(tmp, "fp16"), "--model", "rodan", "--precision", "fp16"],
      { env: modelEnv("rodan", upstream, weights), timeoutMs: 120_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^edgecall-runner: rodan: --precision fp16 runs on CUDA only, and this runs on cpu \(torch \S+ sees no GPU, or --device cpu was given\); use --precision fp32\n$/);
    expect(fs.existsSync(path.join(tmp, "fp16", "calls.fastq"))).toBe(false);
  }, 180_000);

  it("refuses a checkpoint whose sha256 is not the pinned one, naming the model, the file and both digests", async () => {
    const { upstream, weights } = await upstreamWithWeights("sacall");
    const pinned = "0".repeat(64);
    const run = await runProgram(path.join(MODELS_VENV, "bin", "edgecall-runner"),
      ["batch", "--input", input, "--output", path.join(tmp, "mismatch"), "--model", "sacall"],
      { env: { ...modelEnv("sacall", upstream, weights), EDGECALL_WEIGHTS_SHA256: pinned }, timeoutMs: 120_000 });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`edgecall-runner: sacall: refusing weights ${weights}: sha256 ${sha256Of(weights)} is not the pinned ${pinned} (EDGECALL_WEIGHTS_SHA256)\n`);
    expect(fs.existsSync(path.join(tmp, "mismatch", "calls.fastq"))).toBe(false);
  }, 180_000);

  describe("serve", () => {
    let server: ChildProcess | undefined;
    afterAll(() => server?.kill());

    it("RODAN answers a loadgen level through its upstream network", async () => {
      const { upstream, weights } = await upstreamWithWeights("rodan");
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      server = spawn(path.join(MODELS_VENV, "bin", "edgecall-runner"), ["serve", "--model", "rodan", "--host", "127.0.0.1", "--port", String(port), "--batch-size", "2", "--device", "cpu"],
        { env: modelEnv("rodan", upstream, weights), stdio: "ignore" });
      await waitFor("RODAN's /readyz", 120, async () => (await fetch(`${base}/readyz`).then((r) => r.status, () => 0)) === 200, 500);
      const info = (await (await fetch(`${base}/v1/info`)).json()) as Record<string, unknown>;
      expect(info).toMatchObject({ model: "rodan", device: "cpu", precision: "fp32", upstream_commit: pinnedCommit("rodan") });
      expect(info.stand_in).toBeUndefined();

      const run = await runProgram(path.join(PROJECT, "node_modules/.bin/tsx"),
        ["benchmarks/cli.ts", "loadgen", "--target", base, "--concurrency", "2", "--manifest", path.join(input, "load.jsonl"), "--requests", "2", "--json"],
        { cwd: PROJECT, timeoutMs: 300_000 });
      expect(run.status, run.stderr).toBe(0);
      const report = JSON.parse(run.stdout) as { levels: Array<{ concurrency: number; requests: number; succeeded: number; errors: Record<string, number>; bases_per_s: number }> };
      expect(report.levels).toHaveLength(1);
      expect(report.levels[0]).toMatchObject({ concurrency: 2, requests: 2, succeeded: 2, errors: {} });
      expect(report.levels[0].bases_per_s).toBeGreaterThan(0);
    }, 420_000);
  });
});
