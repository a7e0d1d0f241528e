import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixture } from "../benchmarks/fixtures";
import { runProgram } from "../helpers/run-program";
import { venvMissing } from "../runner/helpers/runner-env";
import { MODELS_VENV, modelsTierMissing } from "./helpers/models-env";
import { TorchModel, callIdentity, convertedReads, fastqById, modelEnv, upstreamWithWeights } from "./helpers/prepared";

// RODAN and SACall on ONNX Runtime (this CPU), from their upstream networks with the random
// checkpoints: the export, the calls against PyTorch's on the fixture reads, int8's parity figure,
// the engine cache and the parity floor. TensorRT needs a GPU: its keys and refusals are in pytest.
const missing = modelsTierMissing() ?? venvMissing() ?? fixture("fast5/r941_klebsiella_single").missing;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-engines-"));
const prepared = upstreamWithWeights(tmp);
let input = "";
let readIds: string[] = [];

interface Batch {
  status: number | null;
  stderr: string;
  calls: Map<string, { sequence: string; quality: string }>;
  run: { engine: string; precision: string; engine_parity?: { identity: number; floor: number; max_probability_diff: number }; engine_artifact_sha256?: string };
}

async function batch(model: TorchModel, name: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Batch> {
  const { upstream, weights } = await prepared(model);
  const out = path.join(tmp, name);
  const result = await runProgram(path.join(MODELS_VENV, "bin", "edgecall-runner"),
    ["batch", "--input", input, "--output", out, "--model", model, "--device", "cpu", ...args],
    { env: modelEnv(model, upstream, weights, { EDGECALL_ENGINE_CACHE: path.join(tmp, `${model}-engines`), ...env }), timeoutMs: 600_000 });
  const calls = fs.existsSync(path.join(out, "calls.fastq")) ? fastqById(fs.readFileSync(path.join(out, "calls.fastq"), "utf8")) : new Map();
  const run = fs.existsSync(path.join(out, "run.json")) ? (JSON.parse(fs.readFileSync(path.join(out, "run.json"), "utf8")) as Batch["run"]) : ({} as Batch["run"]);
  return { status: result.status, stderr: result.stderr, calls, run };
}

const listing = (model: TorchModel) => {
  const dir = path.join(tmp, `${model}-engines`);
  return fs.readdirSync(dir).sort().map((f) => `${f} ${fs.statSync(path.join(dir, f)).mtimeMs}`);
};

describe.skipIf(missing !== undefined)("RODAN and SACall on ONNX Runtime, against their PyTorch networks", () => {
  beforeAll(async () => {
    ({ input, readIds } = await convertedReads(tmp, 10_000));
  }, 180_000);
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it.each(["rodan", "sacall"] as const)("%s: the exported fp32 graph calls every read as PyTorch does, and int8 records its parity", async (model) => {
    const torch = await batch(model, `${model}-torch`, []);
    expect(torch.status, torch.stderr).toBe(0);
    const onnx = await batch(model, `${model}-onnx`, ["--engine", "onnxruntime"]);
    expect(onnx.status, onnx.stderr).toBe(0);
    expect([...onnx.calls.keys()].sort()).toEqual(readIds);
    for (const id of readIds) {
      expect(callIdentity((torch.calls.get(id) as { sequence: string }).sequence, (onnx.calls.get(id) as { sequence: string }).sequence), id).toBeGreaterThanOrEqual(0.999);
    }
    expect(onnx.run).toMatchObject({ engine: "onnxruntime", precision: "fp32", engine_parity: { floor: 0.99 } });
    expect(onnx.run.engine_parity?.identity).toBeGreaterThanOrEqual(0.999);

    // int8: its figure recorded whatever it is (floor 0), then refused by a floor above it, naming both.
    const int8 = await batch(model, `${model}-int8`, ["--engine", "onnxruntime", "--precision", "int8"], { EDGECALL_PARITY_FLOOR: "0" });
    expect(int8.status, int8.stderr).toBe(0);
    const reached = int8.run.engine_parity?.identity as number;
    expect(reached).toBeGreaterThan(0);
    expect(int8.run.engine_parity?.max_probability_diff).toBeGreaterThan(0);
    // Where int8 matched fp32 exactly, no floor (at most 1) lies above it: the refusal with both figures
    // is then pytest's (images/runner/tests/test_engines.py, the test network's int8 at 0.90).
    if (reached < 1) {
      const floor = ((reached + 1) / 2).toFixed(6);
      const refused = await batch(model, `${model}-int8-refused`, ["--engine", "onnxruntime", "--precision", "int8"], { EDGECALL_PARITY_FLOOR: floor });
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain(`onnxruntime int8 of ${model}: decoded identity to the model's own fp32 calls ${reached.toFixed(4)} is below the floor ${Number(floor).toFixed(4)}`);
      expect(refused.calls.size).toBe(0);
    }
  }, 900_000);

  // The cache's keys do not depend on the model; RODAN, the quicker of the two, shows them.
  it("keeps an exported graph for the next start, and makes another for other weights", async () => {
    const model = "rodan";
    expect((await batch(model, `${model}-onnx-first`, ["--engine", "onnxruntime"])).status).toBe(0);
    const before = listing(model);
    expect((await batch(model, `${model}-onnx-again`, ["--engine", "onnxruntime"])).status).toBe(0);
    expect(listing(model)).toEqual(before);
    const { upstream, weights } = await prepared(model);
    const other = path.join(tmp, `${model}-other.chkpt`);
    const perturb = await runProgram(path.join(MODELS_VENV, "bin", "python"), ["-c", PERTURB, weights, other], { timeoutMs: 120_000 });
    expect(perturb.status, perturb.stderr).toBe(0);
    const retrained = await runProgram(path.join(MODELS_VENV, "bin", "edgecall-runner"),
      ["batch", "--input", input, "--output", path.join(tmp, `${model}-other`), "--model", model, "--device", "cpu", "--engine", "onnxruntime"],
      { env: modelEnv(model, upstream, other, { EDGECALL_ENGINE_CACHE: path.join(tmp, `${model}-engines`) }), timeoutMs: 600_000 });
    expect(retrained.status, retrained.stderr).toBe(0);
    const added = listing(model).filter((f) => !before.includes(f));
    expect(added.filter((f) => f.includes("-fp32-") && f.split(" ")[0].endsWith(".onnx"))).toHaveLength(1);
  }, 900_000);
});

/** Saves the checkpoint again with its first floating-point tensor nudged: other weights, same layout. */
const PERTURB = [
  "import sys, torch",
  "saved = torch.load(sys.argv[1], map_location='cpu')",
  "state = saved.get('state_dict', saved.get('model'))",
  "name = next(k for k, v in state.items() if v.is_floating_point())",
  "state[name] = state[name] + 0.01",
  "torch.save(saved, sys.argv[2])",
].join("\n");
