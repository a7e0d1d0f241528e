import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { fixture } from "../../benchmarks/fixtures";
import { editDistance } from "../../../infra/edit-distance";
import { runProgram } from "../../helpers/run-program";
import { VENV } from "../../runner/helpers/runner-env";
import { pinnedCommit, randomCheckpoint, unpackUpstream } from "./models-env";

export type TorchModel = "rodan" | "sacall" | "catcaller";

/** Two reads of the Klebsiella fixture (R9.4.1 FAST5), each cut to its first `samples` samples. */
export const FIXTURE_READS = ["_ch100_read2767_strand.fast5", "_ch107_read1769_strand.fast5"];

/** The model's upstream tree and a random checkpoint in its layout, made once per `dir` and model. */
export function upstreamWithWeights(dir: string): (model: TorchModel) => Promise<{ upstream: string; weights: string }> {
  const prepared = new Map<string, Promise<{ upstream: string; weights: string }>>();
  return (model) => {
    if (!prepared.has(model)) {
      prepared.set(model, (async () => {
        const upstream = await unpackUpstream(model, dir);
        const weights = path.join(dir, `${model}-random.chkpt`);
        await randomCheckpoint(model, upstream, weights);
        return { upstream, weights };
      })());
    }
    return prepared.get(model) as Promise<{ upstream: string; weights: string }>;
  };
}

export const sha256Of = (file: string): string => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");

/** The image's environment, with the checkpoint pinned by its sha256 as `images.models.<model>.weights` pins it. */
export function modelEnv(model: TorchModel, upstream: string, weights: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    EDGECALL_UPSTREAM_DIR: upstream,
    EDGECALL_WEIGHTS: weights,
    EDGECALL_WEIGHTS_SHA256: sha256Of(weights),
    EDGECALL_UPSTREAM_COMMIT: pinnedCommit(model),
    EDGECALL_STAND_IN_MODEL: undefined,
    ...extra,
  };
}

/**
 * The fixture's reads converted (runner tier's converter) into `dir/reads`, each cut to its first
 * `samples` samples, with a loadgen manifest beside; the read ids, sorted.
 */
export async function convertedReads(dir: string, samples: number, reads: readonly string[] = FIXTURE_READS): Promise<{ input: string; readIds: string[] }> {
  const klebsiella = fixture("fast5/r941_klebsiella_single");
  if (klebsiella.missing !== undefined) throw new Error(klebsiella.missing);
  const fast5 = path.join(dir, "fast5");
  fs.mkdirSync(fast5, { recursive: true });
  for (const suffix of reads) {
    const name = fs.readdirSync(klebsiella.path).find((f) => f.endsWith(suffix));
    if (!name) throw new Error(`${klebsiella.path}: no read file ending ${suffix}`);
    fs.symlinkSync(path.join(klebsiella.path, name), path.join(fast5, name));
  }
  const converted = path.join(dir, "converted");
  const convert = await runProgram(path.join(VENV, "bin", "edgecall-convert"), ["--input", fast5, "--output", converted, "--model", "rodan"]);
  if (convert.status !== 0) throw new Error(convert.stderr);
  const input = path.join(dir, "reads");
  fs.mkdirSync(input);
  const cut = [
    "import json, sys, numpy",
    "source, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])",
    "with numpy.load(source + '/reads.npz') as reads:",
    "    cut = dict((k, reads[k][:n]) for k in reads.files)",
    "numpy.savez(out + '/reads.npz', **cut)",
    "with open(out + '/load.jsonl', 'w') as manifest:",
    "    for k in sorted(cut):",
    "        manifest.write(json.dumps({'read_id': k, 'signal': [float(v) for v in cut[k]], 'sampling_rate': 4000}) + '\\n')",
    "print(json.dumps(sorted(cut)))",
  ].join("\n");
  const result = await runProgram(path.join(VENV, "bin", "python"), ["-c", cut, converted, input, String(samples)]);
  if (result.status !== 0) throw new Error(result.stderr);
  return { input, readIds: JSON.parse(result.stdout) as string[] };
}

/** FASTQ records by read id. */
export function fastqById(text: string): Map<string, { sequence: string; quality: string }> {
  const lines = text.trimEnd().split("\n");
  const records = new Map<string, { sequence: string; quality: string }>();
  for (let i = 0; i + 3 < lines.length; i += 4) records.set(lines[i].slice(1), { sequence: lines[i + 1], quality: lines[i + 3] });
  return records;
}

/** 1 - edit distance / longer length, the identity two calls of one read share. */
export function callIdentity(a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  return longest === 0 ? 1 : 1 - editDistance(a, b) / longest;
}
