/**
 * `npm run bench:engines [-- --reads 6 --samples 40000]`: per model, reads/s of PyTorch fp32, ONNX
 * Runtime fp32 and ONNX Runtime int8 (static QDQ) on the same fixture reads, in one run on this CPU,
 * with each engine's parity (decoded identity of every read's call to PyTorch's, and the runner's own
 * check on fixed windows). The models are the upstream networks with random weights (the models
 * tier's), so the figures are speed and agreement, not accuracy. Goals: ONNX Runtime fp32 at least
 * 1.25x PyTorch for two of the three models; int8 at least 2x with 99% identity; fp32 engines 99.9%.
 * Missed goals are printed as missed. Needs the models tier (test/setup/install-models-tier.sh).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { fixture } from "../benchmarks/fixtures";
import { runProgram } from "../helpers/run-program";
import { MODELS_VENV, modelsTierMissing } from "./helpers/models-env";
import { TorchModel, callIdentity, convertedReads, fastqById, modelEnv, upstreamWithWeights } from "./helpers/prepared";

const MODELS: TorchModel[] = ["rodan", "sacall", "catcaller"];
const VARIANTS = [
  { name: "torch fp32", args: [] as string[] },
  { name: "onnxruntime fp32", args: ["--engine", "onnxruntime"] },
  { name: "onnxruntime int8", args: ["--engine", "onnxruntime", "--precision", "int8"] },
];

interface Measured {
  readsPerS: number;
  identity: number | null;
  parity: number | null;
  error?: string;
}

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
}

async function main(args: string[]): Promise<number> {
  const missing = modelsTierMissing() ?? fixture("fast5/r941_klebsiella_single").missing;
  if (missing !== undefined) {
    process.stderr.write(`bench:engines: ${missing}\n`);
    return 1;
  }
  const reads = option(args, "--reads", 6);
  const samples = option(args, "--samples", 40_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-bench-engines-"));
  try {
    const klebsiella = fixture("fast5/r941_klebsiella_single");
    const names = fs.readdirSync(klebsiella.path).filter((f) => f.endsWith(".fast5")).sort().slice(0, reads).map((f) => f.slice(f.lastIndexOf("_ch")));
    const { input, readIds } = await convertedReads(tmp, samples, names);
    const prepared = upstreamWithWeights(tmp);
    const lines = [`engines on this CPU (${os.cpus().length} cores): ${readIds.length} fixture reads of up to ${samples} samples, random upstream weights`, "model\tvariant\treads/s\tx torch\tread identity to torch\tparity (windows)"];
    const goals: string[] = [];
    let fp32Faster = 0;
    for (const model of MODELS) {
      const { upstream, weights } = await prepared(model);
      const results = new Map<string, Measured>();
      let reference: Map<string, { sequence: string }> | undefined;
      for (const variant of VARIANTS) {
        const out = path.join(tmp, `${model}-${variant.name.replace(" ", "-")}`);
        // Every int8 figure is recorded (floor 0): the goal below says whether it is good enough.
        const env = modelEnv(model, upstream, weights, { EDGECALL_ENGINE_CACHE: path.join(tmp, `${model}-engines`), EDGECALL_PARITY_FLOOR: "0" });
        const run = await runProgram(path.join(MODELS_VENV, "bin", "edgecall-runner"), ["batch", "--input", input, "--output", out, "--model", model, "--device", "cpu", "--batch-size", "2", ...variant.args], { env, timeoutMs: 1_800_000 });
        if (run.status !== 0) {
          results.set(variant.name, { readsPerS: 0, identity: null, parity: null, error: run.stderr.trim().split("\n").pop() });
          continue;
        }
        const info = JSON.parse(fs.readFileSync(path.join(out, "run.json"), "utf8")) as { start: string; end: string; reads: number; engine_parity?: { identity: number } };
        const calls = fastqById(fs.readFileSync(path.join(out, "calls.fastq"), "utf8"));
        reference ??= calls;
        const identities = readIds.map((id) => callIdentity((reference as Map<string, { sequence: string }>).get(id)?.sequence ?? "", calls.get(id)?.sequence ?? ""));
        results.set(variant.name, {
          readsPerS: info.reads / ((Date.parse(info.end) - Date.parse(info.start)) / 1000),
          identity: Math.min(...identities),
          parity: info.engine_parity?.identity ?? null,
        });
      }
      const torch = results.get("torch fp32") as Measured;
      for (const variant of VARIANTS) {
        const m = results.get(variant.name) as Measured;
        if (m.error !== undefined) {
          lines.push(`${model}\t${variant.name}\tnot run: ${m.error}`);
          continue;
        }
        const ratio = torch.readsPerS > 0 ? m.readsPerS / torch.readsPerS : 0;
        lines.push(`${model}\t${variant.name}\t${m.readsPerS.toFixed(3)}\t${ratio.toFixed(2)}\t${m.identity === null ? "NA" : m.identity.toFixed(4)}\t${m.parity === null ? "-" : m.parity.toFixed(4)}`);
      }
      const fp32 = results.get("onnxruntime fp32") as Measured;
      const int8 = results.get("onnxruntime int8") as Measured;
      if (fp32.error === undefined && fp32.readsPerS >= 1.25 * torch.readsPerS) fp32Faster += 1;
      if (fp32.error === undefined) goals.push(`goal: ${model} onnxruntime fp32 identity to torch >= 0.999 on every read: ${(fp32.identity ?? 0).toFixed(4)}: ${(fp32.identity ?? 0) >= 0.999 ? "met" : "missed"}`);
      if (int8.error === undefined) {
        const met = int8.readsPerS >= 2 * torch.readsPerS && (int8.identity ?? 0) >= 0.99;
        goals.push(`goal: ${model} int8 >= 2x torch with identity >= 0.99: ${(int8.readsPerS / torch.readsPerS).toFixed(2)}x, ${(int8.identity ?? 0).toFixed(4)}: ${met ? "met" : "missed"}`);
      } else {
        goals.push(`goal: ${model} int8 >= 2x torch: missed (${int8.error})`);
      }
    }
    goals.unshift(`goal: onnxruntime fp32 >= 1.25x torch for two of the three models: ${fp32Faster} of 3: ${fp32Faster >= 2 ? "met" : "missed"}`);
    process.stdout.write(`${[...lines, ...goals].join("\n")}\n`);
    return 0;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`bench:engines: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
