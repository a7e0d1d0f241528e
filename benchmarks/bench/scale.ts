/**
 * `npm run bench:scale [-- --reads 100000,1000000 --lines 1000000]`: whether `evaluate`, `energy`
 * and `telemetry parse` stay in bounded memory as the input grows. Inputs are generated into a
 * temporary directory (the fixture's real reads repeated under new ids; a JetPack 4 tegrastats
 * log), each command runs once as its own Node process (`node --import tsx benchmarks/cli.ts`,
 * what the installed `edgecall` runs), and its wall time and own peak RSS are printed; for
 * evaluate, beside bare minimap2 on the same input with the same threads.
 *
 * Goals: edgecall's own peak RSS under 300 MB at 1M reads and under 100 MB at 1M telemetry
 * lines; evaluate within 1.15x of minimap2's own time.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";
import { MINIMAP2_ARGS } from "../accuracy/evaluate";
import { Measured, measure } from "./measure";
import { writeReads, writeTegrastats } from "./scale-inputs";

const fixtures = process.env.EDGECALL_FIXTURES ?? path.resolve(__dirname, "../../../shared/fixtures");
const FIXTURE_READS = path.join(fixtures, "reads/lambda_r1041_amplicon.fastq.gz");
const REFERENCE = path.join(fixtures, "reference/lambda_virus.fa");
const CLI = path.resolve(__dirname, "../cli.ts");
const TSX = require.resolve("tsx");
const THREADS = 2;
const GOAL_READS_RSS_MB = 300;
const GOAL_LINES_RSS_MB = 100;
const GOAL_RATIO = 1.15;

function sizes(value: string, flag: string): number[] {
  const list = value.split(",").map(Number);
  if (list.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error(`${flag} must be positive integers separated by commas, got ${value}`);
  return list;
}

function edgecall(args: string[], stdout: number | "ignore" = "ignore"): Promise<Measured> {
  return measure(process.execPath, ["--import", TSX, CLI, ...args], stdout);
}

function check(name: string, run: Measured): Measured {
  if (run.code !== 0) throw new Error(`${name} exited ${run.code}: ${run.stderr.trim()}`);
  return run;
}

const verdict = (met: boolean): string => (met ? "met" : "MISSED");
const out = (line: string): void => void process.stdout.write(`${line}\n`);

async function evaluateAt(dir: string, count: number): Promise<void> {
  const calls = path.join(dir, `reads-${count}.fastq`);
  writeReads(FIXTURE_READS, calls, count);
  const bare = check("minimap2", await measure("minimap2", [...MINIMAP2_ARGS, "-t", String(THREADS), REFERENCE, calls]));
  const perRead = path.join(dir, `per-read-${count}.tsv`);
  const ours = check(
    "edgecall evaluate",
    await edgecall(["evaluate", "--calls", calls, "--reference", REFERENCE, "--threads", String(THREADS), "--json", "--per-read", perRead]),
  );
  const ratio = ours.seconds / bare.seconds;
  const rssGoal = count >= 1_000_000 ? `; goal under ${GOAL_READS_RSS_MB} MB at 1M reads: ${verdict(ours.peakRssMb < GOAL_READS_RSS_MB)}` : "";
  out(`evaluate ${count} reads (${(fs.statSync(calls).size / 1e6).toFixed(0)} MB FASTQ, ${THREADS} threads):`);
  out(`  minimap2 alone:    ${bare.seconds.toFixed(1)} s, peak RSS ${bare.peakRssMb.toFixed(0)} MB`);
  out(`  edgecall evaluate: ${ours.seconds.toFixed(1)} s, peak RSS of edgecall itself ${ours.peakRssMb.toFixed(0)} MB${rssGoal}`);
  out(`  ratio to minimap2: ${ratio.toFixed(2)} (goal at most ${GOAL_RATIO}: ${verdict(ratio <= GOAL_RATIO)})`);
  fs.rmSync(calls);
  fs.rmSync(perRead);
}

async function telemetryAt(dir: string, count: number): Promise<void> {
  const log = path.join(dir, `tegrastats-${count}.log`);
  writeTegrastats(log, count);
  const timing = ["--start", "2026-11-24T00:00:00Z", "--interval-ms", "100"];
  const end = new Date(Date.parse("2026-11-24T00:00:00Z") + (count - 1) * 100).toISOString();
  const energy = check("edgecall energy", await edgecall(["energy", "--telemetry", log, ...timing, "--from", "2026-11-24T00:00:00Z", "--to", end, "--json"]));
  const parse = check("edgecall telemetry parse", await edgecall(["telemetry", "parse", log, ...timing, "--json"]));
  const goal = (run: Measured): string =>
    count >= 1_000_000 ? `; goal under ${GOAL_LINES_RSS_MB} MB at 1M lines: ${verdict(run.peakRssMb < GOAL_LINES_RSS_MB)}` : "";
  out(`telemetry, ${count} lines (${(fs.statSync(log).size / 1e6).toFixed(0)} MB):`);
  out(`  edgecall energy:          ${energy.seconds.toFixed(1)} s, peak RSS ${energy.peakRssMb.toFixed(0)} MB${goal(energy)}`);
  out(`  edgecall telemetry parse: ${parse.seconds.toFixed(1)} s, peak RSS ${parse.peakRssMb.toFixed(0)} MB (JSON to /dev/null)${goal(parse)}`);
  fs.rmSync(log);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { reads: { type: "string" }, lines: { type: "string" } } });
  const readSizes = sizes(values.reads ?? "100000,1000000", "--reads");
  const lineSizes = sizes(values.lines ?? "1000000", "--lines");
  for (const file of [FIXTURE_READS, REFERENCE]) if (!fs.existsSync(file)) throw new Error(`${file}: no such file (set EDGECALL_FIXTURES)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-scale-"));
  try {
    for (const count of lineSizes) await telemetryAt(dir, count);
    for (const count of readSizes) await evaluateAt(dir, count);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:scale: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
