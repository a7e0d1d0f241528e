/**
 * `npm run bench:live`: live mode's goals (issue 19), measured with the sequencer stand-in
 * (`edgecall-sequencer`) replaying the fixture reads into a run directory and `edgecall-runner watch`
 * calling them with the test network (ctc-test, the runner tier's model: it needs no weights, and it
 * is far faster than a real basecaller, so the watcher's own costs weigh the most they can):
 *
 * - pickup: a file renamed into place is read within 0.5 s (inotify), at a rate the watcher keeps up with;
 * - overhead: `watch --once` on N files against `batch` on the same reads converted, at most 5%;
 * - latency: at 0.5x the rate the watcher sustained, p95 from a file's completion to its FASTQ
 *   records under 2 s plus one file's calling time; at 2x it must say it is not keeping up;
 * - kills: 20 SIGKILLs at random points while it calls, then a run to the end: no read lost or doubled.
 *
 * Needs the runner tier (test/setup/install-runner-tier.sh) and the fixture reads.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawn } from "child_process";
import { fixture } from "../benchmarks/fixtures";
import { runProgram } from "../helpers/run-program";
import { VENV, venvMissing } from "./helpers/runner-env";

const PYTHON = path.join(VENV, "bin", "python");
const ENV = { ...process.env, HDF5_PLUGIN_PATH: path.join(VENV, "hdf5-plugins") };
const READS_PER_FILE = 6;

interface JournalEntry {
  file: string;
  state: string;
  reads?: number;
  samples?: number;
  completed_at?: number;
  started_at?: number;
  done_at?: number;
}

interface Summary {
  reads: number;
  samples: number;
  sustained_samples_per_s: number | null;
  latency_s: { p50: number | null; p95: number | null; max: number | null };
  largest_backlog: { files: number; reads: number };
  keeping_up: boolean;
  fell_behind: boolean;
}

async function python(args: string[], what: string): Promise<string> {
  const result = await runProgram(PYTHON, args, { env: ENV, timeoutMs: 600_000 });
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status}):\n${result.stderr.slice(-2000)}`);
  return result.stderr;
}

/** Replays the dataset into `runDir`: `files` files, at `samplesPerS` (or as fast as it can write). */
function sequencer(dataset: string, runDir: string, files: number, samplesPerS: number): string[] {
  return ["-m", "edgecall_converter.sequencer.cli", "--dataset", dataset, "--run-dir", runDir, "--max-files", String(files),
    "--reads-per-file", String(READS_PER_FILE), "--channels", "1", "--occupancy", "1", "--sample-rate-hz", String(samplesPerS),
    "--log", path.join(path.dirname(runDir), "sequencer.jsonl")];
}

function watchArgs(runDir: string, out: string, ...extra: string[]): string[] {
  return ["-m", "edgecall_runner.cli", "watch", "--model", "ctc-test", "--input", runDir, "--output", out, ...extra];
}

function journal(out: string): JournalEntry[] {
  const file = path.join(out, "journal.jsonl");
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, "utf8").split("\n").flatMap((line) => {
    try {
      return line.trim() ? [JSON.parse(line) as JournalEntry] : [];
    } catch {
      return [];
    }
  });
}

function fastqIds(out: string): string[] {
  const calls = path.join(out, "calls");
  if (!fs.existsSync(calls)) return [];
  return fs.readdirSync(calls).filter((f) => f.endsWith(".fastq")).flatMap((f) =>
    fs.readFileSync(path.join(calls, f), "utf8").split("\n").filter((_line, i) => i % 4 === 0 && _line.startsWith("@")).map((l) => l.slice(1)));
}

const summaryOf = (out: string) => JSON.parse(fs.readFileSync(path.join(out, "live-summary.json"), "utf8")) as Summary;
const seconds = (ms: number) => ms / 1000;
const goal = (text: string, met: boolean) => process.stdout.write(`goal: ${text}: ${met ? "met" : "missed"}\n`);

async function timed(args: string[], what: string): Promise<number> {
  const started = Date.now();
  await python(args, what);
  return seconds(Date.now() - started);
}

async function main(): Promise<number> {
  const missing = venvMissing() ?? fixture("fast5/r941_klebsiella_single").missing;
  if (missing !== undefined) {
    process.stderr.write(`bench:live: ${missing}\n`);
    return 1;
  }
  const dataset = fixture("fast5/r941_klebsiella_single").path;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-bench-live-"));
  try {
    // Overhead: the same reads through watch --once and through batch (converted first, untimed).
    const files = 24;
    const whole = path.join(work, "whole");
    await python(sequencer(dataset, path.join(whole, "run"), files, 1e12), "edgecall-sequencer");
    await python(["-m", "edgecall_converter.cli", "--input", path.join(whole, "run"), "--output", path.join(whole, "converted"), "--model", "ctc-test"], "edgecall-convert");
    const batchS: number[] = [];
    const watchS: number[] = [];
    for (let round = 0; round < 3; round++) {
      fs.rmSync(path.join(whole, "batch"), { recursive: true, force: true });
      fs.rmSync(path.join(whole, "watch"), { recursive: true, force: true });
      batchS.push(await timed(["-m", "edgecall_runner.cli", "batch", "--model", "ctc-test", "--input", path.join(whole, "converted"), "--output", path.join(whole, "batch")], "batch"));
      watchS.push(await timed(watchArgs(path.join(whole, "run"), path.join(whole, "watch"), "--once"), "watch --once"));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const batchTime = median(batchS);
    const watchTime = median(watchS);
    const sustained = summaryOf(path.join(whole, "watch")).sustained_samples_per_s ?? 0;
    const samples = summaryOf(path.join(whole, "watch")).samples;
    const fileCallS = samples / files / sustained;
    process.stdout.write(`${files} files of ${READS_PER_FILE} fixture reads (${samples} samples), ctc-test on this CPU, median of 3 (s): batch ${batchTime.toFixed(2)}, watch --once ${watchTime.toFixed(2)}\n`);
    process.stdout.write(`watch sustained ${Math.round(sustained)} samples/s; one file's calling ${fileCallS.toFixed(3)} s\n`);
    const overhead = watchTime / batchTime - 1;
    goal(`watch adds ${(overhead * 100).toFixed(1)}% to batch's time for the same reads, goal at most 5%`, overhead <= 0.05);

    // Pickup and latency at 0.5x, then 2x, of what it sustained.
    for (const speed of [0.5, 2]) {
      const dir = path.join(work, `rate-${speed}`);
      const runDir = path.join(dir, "run");
      fs.mkdirSync(runDir, { recursive: true });
      const out = path.join(dir, "out");
      const watcher = spawn(PYTHON, watchArgs(runDir, out, "--exit-when-idle-s", "5", "--backlog-window-s", "1"), { env: ENV, stdio: "ignore" });
      const ended = new Promise<number | null>((resolve) => watcher.on("close", resolve));
      // The model loads before the first file is due: a second of its own.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      // At 2x, long enough for a backlog to outlast the 1 s window several times over.
      const count = speed < 1 ? 12 : 80;
      await python(sequencer(dataset, runDir, count, sustained * speed), "edgecall-sequencer");
      if ((await ended) !== 0) throw new Error(`watch at ${speed}x ended badly`);
      const summary = summaryOf(out);
      const pickups = journal(out).filter((e) => e.state === "done").map((e) => (e.started_at ?? 0) - (e.completed_at ?? 0));
      const latencyGoal = 2 + fileCallS;
      process.stdout.write(`at ${speed}x (${Math.round(sustained * speed)} samples/s offered): ${summary.reads} reads, latency p50 ${summary.latency_s.p50} s, p95 ${summary.latency_s.p95} s, max ${summary.latency_s.max} s; largest backlog ${summary.largest_backlog.files} files; fell behind: ${summary.fell_behind}\n`);
      if (speed < 1) {
        const worst = Math.max(...pickups);
        goal(`a completed file picked up within ${worst.toFixed(3)} s at most (inotify), goal < 0.5 s`, worst < 0.5);
        goal(`latency p95 at 0.5x ${summary.latency_s.p95} s, goal < ${latencyGoal.toFixed(2)} s (2 s plus one file's calling)`, (summary.latency_s.p95 ?? Infinity) < latencyGoal);
      } else {
        goal(`at 2x the watcher says it fell behind (fell_behind ${summary.fell_behind}, backlog up to ${summary.largest_backlog.files} files)`, summary.fell_behind);
      }
    }

    // Kills: SIGKILL at random points while it calls, then one run to the end.
    const killDir = path.join(work, "kills");
    const killOut = path.join(killDir, "out");
    fs.mkdirSync(killDir, { recursive: true });
    await python(sequencer(dataset, path.join(killDir, "run"), 60, 1e12), "edgecall-sequencer");
    const expected = fs.readFileSync(path.join(killDir, "sequencer.jsonl"), "utf8").trim().split("\n").flatMap((l) => (JSON.parse(l) as { read_ids: string[] }).read_ids);
    let midway = 0;
    for (let kill = 0; kill < 20; kill++) {
      const before = journal(killOut).length;
      const watcher = spawn(PYTHON, watchArgs(path.join(killDir, "run"), killOut, "--once"), { env: ENV, stdio: "ignore" });
      const deadline = Date.now() + 60_000;
      while (journal(killOut).length === before && watcher.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, Math.random() * 300));
      watcher.kill("SIGKILL");
      await new Promise((r) => watcher.on("close", r));
      const after = journal(killOut).length;
      if (after < 60) midway++;
    }
    await python(watchArgs(path.join(killDir, "run"), killOut, "--once"), "watch after the kills");
    const ids = fastqIds(killOut);
    const lost = expected.filter((id) => !ids.includes(id)).length;
    const doubled = ids.length - new Set(ids).size;
    process.stdout.write(`20 SIGKILLs (${midway} while files were left), then a run to the end: ${expected.length} reads sent, ${ids.length} written\n`);
    goal(`${lost} reads lost and ${doubled} written twice across 20 kills, goal none`, lost === 0 && doubled === 0 && midway > 0);
    return 0;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code), (error: unknown) => {
  process.stderr.write(`bench:live: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
