/**
 * `npm run bench:evaluate`: how long `edgecall evaluate` takes against bare minimap2 on the same
 * input (the lambda reads of the fixtures, or CALLS REFERENCE given as arguments). Median of 9 runs
 * each; the goal is a ratio of at most 1.15.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { MINIMAP2_ARGS, evaluateCalls } from "../accuracy/evaluate";

const fixtures = process.env.EDGECALL_FIXTURES ?? path.resolve(__dirname, "../../../shared/fixtures");
const [calls = path.join(fixtures, "reads/lambda_r1041_amplicon.fastq.gz"), reference = path.join(fixtures, "reference/lambda_virus.fa")] =
  process.argv.slice(2);
const RUNS = 9;
const THREADS = 2;

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const bare: number[] = [];
  const ours: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    let start = process.hrtime.bigint();
    const result = spawnSync("minimap2", [...MINIMAP2_ARGS, "-t", String(THREADS), reference, calls], { stdio: ["ignore", "ignore", "ignore"] });
    if (result.status !== 0) throw new Error(`minimap2 failed (${result.error?.message ?? `exit ${result.status}`})`);
    bare.push(Number(process.hrtime.bigint() - start) / 1e9);
    start = process.hrtime.bigint();
    await evaluateCalls(calls, reference, THREADS);
    ours.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  const ratio = medianOf(ours) / medianOf(bare);
  process.stdout.write(`minimap2 alone:    ${medianOf(bare).toFixed(3)} s (median of ${RUNS})\n`);
  process.stdout.write(`edgecall evaluate: ${medianOf(ours).toFixed(3)} s (median of ${RUNS})\n`);
  process.stdout.write(`ratio: ${ratio.toFixed(2)} (goal: at most 1.15)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:evaluate: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
