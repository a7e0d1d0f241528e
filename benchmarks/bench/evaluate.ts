/**
 * `npm run bench:evaluate`: how long `edgecall evaluate` takes against bare minimap2 on the same
 * input (the lambda reads of the fixtures, or CALLS REFERENCE given as arguments).
 *
 * The goal (a ratio of at most 1.15) is about what the evaluator adds to minimap2's own work:
 * counting every read, feeding minimap2 and keeping each read's best alignment. So the headline
 * ratio times `evaluateCalls` in this process against `minimap2` writing PAF to /dev/null, after one
 * untimed run of each (page cache, JIT), as the median of 15 alternating runs. The time of the
 * whole command (`edgecall evaluate`, the compiled dist/benchmarks/bin/edgecall.js, which adds Node's
 * start-up, a fixed cost that does not grow with the input) is printed beside it; `npm run build` first.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { MINIMAP2_ARGS, evaluateCalls } from "../accuracy/evaluate";

const fixtures = process.env.EDGECALL_FIXTURES ?? path.resolve(__dirname, "../../../shared/fixtures");
const [calls = path.join(fixtures, "reads/lambda_r1041_amplicon.fastq.gz"), reference = path.join(fixtures, "reference/lambda_virus.fa")] =
  process.argv.slice(2);
const RUNS = 15;
const THREADS = 2;
const CLI = path.resolve(__dirname, "../../dist/benchmarks/bin/edgecall.js");

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function seconds(run: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function bareMinimap2(): void {
  const result = spawnSync("minimap2", [...MINIMAP2_ARGS, "-t", String(THREADS), reference, calls], { stdio: ["ignore", "ignore", "ignore"] });
  if (result.status !== 0) throw new Error(`minimap2 failed (${result.error?.message ?? `exit ${result.status}`}); is it installed (apt-get install minimap2)?`);
}

function wholeCommand(): void {
  const result = spawnSync(process.execPath, [CLI, "evaluate", "--calls", calls, "--reference", reference, "--threads", String(THREADS), "--json"], { stdio: ["ignore", "ignore", "pipe"] });
  if (result.status !== 0) throw new Error(`edgecall evaluate failed: ${result.stderr.toString().trim()}`);
}

async function main(): Promise<void> {
  for (const file of [calls, reference]) if (!fs.existsSync(file)) throw new Error(`${file}: no such file (set EDGECALL_FIXTURES or give CALLS REFERENCE)`);
  bareMinimap2();
  await evaluateCalls(calls, reference, THREADS);
  const bare: number[] = [];
  const ours: number[] = [];
  const command: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    bare.push(await seconds(bareMinimap2));
    ours.push(await seconds(() => evaluateCalls(calls, reference, THREADS)));
  }
  for (let i = 0; i < 5; i++) command.push(await seconds(wholeCommand));
  const ratio = medianOf(ours) / medianOf(bare);
  process.stdout.write(`input: ${calls} against ${reference}, ${THREADS} threads\n`);
  process.stdout.write(`minimap2 alone:          ${medianOf(bare).toFixed(3)} s (median of ${RUNS})\n`);
  process.stdout.write(`edgecall evaluate:       ${medianOf(ours).toFixed(3)} s (median of ${RUNS}, in process)\n`);
  process.stdout.write(`ratio: ${ratio.toFixed(2)} (goal: at most 1.15)\n`);
  process.stdout.write(`whole command, with Node and tsx start-up: ${medianOf(command).toFixed(3)} s (median of 5)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:evaluate: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
