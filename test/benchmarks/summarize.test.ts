import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { afterAll, describe, expect, it } from "vitest";
import { throttleEvents } from "../../benchmarks/summary/resources";
import { quantile, summarizeRun } from "../../benchmarks/summary/summarize";
import { parseTegrastats } from "../../benchmarks/telemetry/tegrastats";
import { fixture } from "./fixtures";

const PROJECT = path.resolve(__dirname, "../..");
const reads = fixture("reads/lambda_r1041_amplicon.fastq.gz");
const reference = fixture("reference/lambda_virus.fa");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-summarize-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A run directory as the runner writes it: 12 real reads (2 of them warm-up), 3 s timed window. */
function runDir(name: string, options: { dropTiming?: boolean } = {}): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir);
  const fastq = zlib.gunzipSync(fs.readFileSync(reads.path)).toString().split("\n").slice(0, 12 * 4).join("\n") + "\n";
  fs.writeFileSync(path.join(dir, "calls.fastq"), fastq);
  const records = fastq.trim().split("\n").filter((_l, i) => i % 4 === 0).map((h, i) => ({ id: h.slice(1).split(" ")[0], bases: fastq.trim().split("\n")[i * 4 + 1].length }));
  const timings = records.map((r, i) => ({
    read_id: r.id,
    samples: r.bases * 10,
    bases: r.bases,
    warmup: i < 2,
    start: new Date(Date.parse("2026-11-24T10:00:00Z") + i * 250).toISOString(),
    end: new Date(Date.parse("2026-11-24T10:00:00Z") + i * 250 + (i + 1) * 100).toISOString(),
  }));
  const kept = options.dropTiming ? timings.slice(1) : timings;
  fs.writeFileSync(path.join(dir, "reads.jsonl"), kept.map((t) => JSON.stringify(t)).join("\n") + "\n");
  fs.writeFileSync(
    path.join(dir, "run.json"),
    JSON.stringify({ model: "chiron", run_id: "r1", repeat: 0, board: "orin", start: "2026-11-24T10:00:00Z", end: "2026-11-24T10:00:03Z", baseline: { start: "2026-11-24T10:00:00Z", end: "2026-11-24T10:00:01Z" }, upstream_commit: "abc", weights_sha256: "f00", weights_verified: true, device: "cuda:0", framework_versions: { torch: "1.10" } }),
  );
  const log = fs.readFileSync(path.join(__dirname, "data/tegrastats-orin-jp6.log"), "utf8");
  fs.writeFileSync(path.join(dir, "telemetry.jsonl"), parseTegrastats(log, { zone: "UTC" }).samples.map((s) => JSON.stringify(s)).join("\n") + "\n");
  return dir;
}

describe.skipIf(reads.missing !== undefined || reference.missing !== undefined)("summarize a run directory", () => {
  it("computes throughput over the timed window without warm-up reads, latency, accuracy, energy, resources and provenance", async () => {
    const dir = runDir("full");
    const summary = await summarizeRun(dir, reference.path);
    const timings = fs.readFileSync(path.join(dir, "reads.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { bases: number; warmup: boolean });
    const timedBases = timings.filter((t) => !t.warmup).reduce((s, t) => s + t.bases, 0);
    expect(summary.throughput).toMatchObject({ reads: 10, bases: timedBases, samples: timedBases * 10 });
    expect(summary.throughput.reads_per_s).toBeCloseTo(10 / 3, 10);
    // warm-up reads 0 and 1: from 10:00:00.000 to 10:00:00.250 + 0.2 s
    expect(summary.window.warmup).toEqual({ start: "2026-11-24T10:00:00.000Z", end: "2026-11-24T10:00:00.450Z" });
    expect(summary.throughput.bases_per_s).toBeCloseTo(timedBases / 3, 10);
    // timed reads i = 2..11 take (i + 1) * 100 ms: 0.3 .. 1.2 s
    expect(summary.throughput.latency_p50_s).toBeCloseTo(0.75, 10);
    expect(summary.throughput.latency_p95_s).toBeCloseTo(1.2, 10);
    expect(summary.accuracy?.reads).toBe(12);
    expect(summary.energy).toMatchObject({ rail: "VDD_IN", seconds: 3 });
    expect(summary.energy?.joules).toBeCloseTo(25.2, 10);
    expect(summary.energy?.above_idle?.joules).toBeCloseTo(25.2 - 7.2 * 3, 10);
    // VDD_SOC 1.44 -> 1.92 W over 1 s, 1.92 -> 1.8 W over 2 s: 1.68 + 3.72 = 5.4 J
    expect(summary.energy?.per_rail?.VDD_SOC.joules).toBeCloseTo(5.4, 10);
    expect(summary.resources).toMatchObject({ gpu_load_max_pct: 97, ram_peak_mb: 3210, throttle_events: 0 });
    expect(summary.resources?.gpu_load_mean_pct).toBeCloseTo((0 + 97 + 96) / 3, 10);
    expect(summary.resources?.temperature_max_c.gpu).toBe(51);
    expect(summary.provenance).toMatchObject({ upstream_commit: "abc", weights_sha256: "f00", weights_verified: true, device: "cuda:0", precision: "fp32", framework_versions: { torch: "1.10" } });
    // The edgecall that summarized, as package.json and the build's commit name it.
    const { version } = JSON.parse(fs.readFileSync(path.join(PROJECT, "package.json"), "utf8")) as { version: string };
    expect(summary.provenance.framework_versions.edgecall).toMatch(new RegExp(`^${version.replace(/\./g, "\\.")}(\\+[0-9a-f]{12}(\\.dirty)?)?$`));
    // Not told the board kind (no run.json field, no Job environment): null, not a guess from "orin".
    expect(summary.board_kind).toBeNull();
    // The input rail over every sample (10:00:00, :01, :03), for the report's power chart.
    expect(summary.power).toEqual({ rail: "VDD_IN", origin: "2026-11-24T10:00:00.000Z", points: [[0, 4.8], [1, 9.6], [3, 8.4]] });
  });

  it("keeps the power series to at most 150 bucket means, the mean power unchanged", async () => {
    const dir = runDir("long-power");
    const seconds = Array.from({ length: 1000 }, (_v, i) => i * 0.01);
    writeTelemetry(dir, seconds);
    const summary = await summarizeRun(dir);
    expect(summary.power?.points).toHaveLength(143);
    expect(summary.power?.points.every(([, watts]) => watts === 5)).toBe(true);
    expect(summary.power?.points[0][0]).toBeCloseTo(0.03, 10);
  });

  it("writes summary.json from the command line", () => {
    const dir = runDir("cli");
    const result = spawnSync(path.join(PROJECT, "node_modules/.bin/tsx"), ["benchmarks/cli.ts", "summarize", dir, "--reference", reference.path, "--json"], { cwd: PROJECT, encoding: "utf8" });
    expect(result.status).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "summary.json"), "utf8"))).toEqual(JSON.parse(result.stdout));
  });

  it("refuses a run whose calls and timings do not cover the same reads, so no read is lost", async () => {
    const dir = runDir("lost", { dropTiming: true });
    await expect(summarizeRun(dir)).rejects.toThrow(/calls\.fastq has 12 reads and reads\.jsonl 11; 1 only in calls\.fastq/);
  });

  it("takes the run id, repeat, board, board kind, dataset, image digest, L4T release, power mode and clocks from the Job's environment where run.json lacks them", async () => {
    const dir = runDir("from-job");
    const run = JSON.parse(fs.readFileSync(path.join(dir, "run.json"), "utf8")) as Record<string, unknown>;
    delete run.run_id;
    delete run.repeat;
    fs.writeFileSync(path.join(dir, "run.json"), JSON.stringify(run));
    const digest = `sha256:${"ab".repeat(32)}`;
    const env = {
      EDGECALL_RUN_ID: "sim1",
      EDGECALL_REPEAT: "2",
      EDGECALL_NODE_NAME: "nano-9",
      EDGECALL_BOARD_KIND: "xavier",
      EDGECALL_DATASET_MANIFEST_SHA256: "abc123",
      EDGECALL_IMAGE_DIGEST: digest,
      EDGECALL_L4T_RELEASE: "R32.7.1",
      EDGECALL_POWER_MODE: "0 (MAXN)",
      EDGECALL_JETSON_CLOCKS: "false",
    };
    Object.assign(process.env, env);
    try {
      const summary = await summarizeRun(dir);
      expect(summary).toMatchObject({
        run_id: "sim1",
        repeat: 2,
        board: "orin",
        board_kind: "xavier",
        provenance: { dataset_manifest_sha256: "abc123", image_digest: digest, l4t_release: "R32.7.1", power_mode: "0 (MAXN)", jetson_clocks: false },
      });
      process.env.EDGECALL_JETSON_CLOCKS = "yes";
      await expect(summarizeRun(dir)).rejects.toThrow("EDGECALL_JETSON_CLOCKS must be true or false, got yes");
    } finally {
      for (const key of Object.keys(env)) delete process.env[key];
    }
  });

  it("names a missing file", async () => {
    const dir = runDir("missing");
    fs.rmSync(path.join(dir, "run.json"));
    await expect(summarizeRun(dir)).rejects.toThrow(/run\.json: missing/);
  });

  it("takes accuracy.json as it is when present, and names it when it is not JSON", async () => {
    const dir = runDir("stored-accuracy");
    const accuracy = { reads: 12, bases: 100, aligned_reads: 6, unaligned_fraction: 0.5, median_identity: 0.9, mean_identity: 0.88, mismatch_rate: 0.05, insertion_rate: 0.03, deletion_rate: 0.04 };
    fs.writeFileSync(path.join(dir, "accuracy.json"), JSON.stringify(accuracy));
    expect((await summarizeRun(dir)).accuracy).toEqual(accuracy);
    fs.writeFileSync(path.join(dir, "accuracy.json"), "{ cut");
    await expect(summarizeRun(dir)).rejects.toThrow(/accuracy\.json: not JSON$/);
    fs.writeFileSync(path.join(dir, "accuracy.json"), JSON.stringify({ ...accuracy, reads: 11 }));
    await expect(summarizeRun(dir)).rejects.toThrow(/accuracy\.json: counts 11 reads but calls\.fastq has 12; run 'edgecall evaluate/);
  });

  it("names telemetry.jsonl when it does not cover the timed window", async () => {
    const dir = runDir("short-telemetry");
    const run = JSON.parse(fs.readFileSync(path.join(dir, "run.json"), "utf8")) as Record<string, unknown>;
    fs.writeFileSync(path.join(dir, "run.json"), JSON.stringify({ ...run, end: "2026-11-24T10:00:05Z" }));
    await expect(summarizeRun(dir)).rejects.toThrow(/telemetry\.jsonl: the window .* is not inside the samples/);
  });

  it("prints one line per run, or the summary itself with --json, and one line on a bad run directory", () => {
    const dir = runDir("human");
    fs.writeFileSync(path.join(dir, "accuracy.json"), JSON.stringify({ reads: 12, bases: 100, aligned_reads: 6, unaligned_fraction: 0.5, median_identity: 0.9, mean_identity: 0.88, mismatch_rate: 0.05, insertion_rate: 0.03, deletion_rate: 0.04 }));
    const cli = (...args: string[]) => spawnSync(path.join(PROJECT, "node_modules/.bin/tsx"), ["benchmarks/cli.ts", "summarize", ...args], { cwd: PROJECT, encoding: "utf8" });
    const human = cli(dir);
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/^chiron\t10 reads\t[\d.]+ bases\/s\tmedian identity 0\.9000\t[\d.]+ J\/Mbase\n$/);
    fs.rmSync(path.join(dir, "calls.fastq"));
    const bad = cli(dir, "--json");
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe("");
    expect(bad.stderr.trim()).toBe(
      `edgecall summarize: ${path.join(dir, "calls.fastq")}: missing (a run directory holds calls.fastq, reads.jsonl and run.json) ` +
        `(the previous ${path.join(dir, "summary.json")} was removed: its figures are stale (calls.fastq is gone))`,
    );
  });

  it("keeps a valid summary.json when an option or input is bad, refusing it before touching anything", () => {
    const dir = runDir("kept");
    const cli = (...args: string[]) => spawnSync(path.join(PROJECT, "node_modules/.bin/tsx"), ["benchmarks/cli.ts", "summarize", ...args], { cwd: PROJECT, encoding: "utf8" });
    expect(cli(dir).status).toBe(0);
    const summary = path.join(dir, "summary.json");
    const before = fs.readFileSync(summary, "utf8");
    const missing = cli(dir, "--reference", "/no/such.fa");
    expect(missing.status).toBe(1);
    expect(missing.stderr.trim()).toBe("edgecall summarize: --reference /no/such.fa: no such file");
    const directory = cli(dir, "--reference", tmp);
    expect(directory.stderr.trim()).toBe(`edgecall summarize: --reference ${tmp}: is a directory; give a reference FASTA (--reference)`);
    expect(fs.readFileSync(summary, "utf8")).toBe(before);
    // A failure that is not the run's (nothing in it changed since the summary) keeps the summary too.
    const noMinimap2 = spawnSync(process.execPath, [path.join(PROJECT, "node_modules/tsx/dist/cli.mjs"), "benchmarks/cli.ts", "summarize", dir, "--reference", reference.path], {
      cwd: PROJECT,
      encoding: "utf8",
      env: { ...process.env, PATH: path.join(tmp, "no-tools") },
    });
    expect(noMinimap2.status).toBe(1);
    expect(noMinimap2.stderr).not.toContain("was removed");
    expect(fs.readFileSync(summary, "utf8")).toBe(before);
  });

  it("names a summary.json that is a directory, and the run's missing run.json, never rm's error", () => {
    const dir = runDir("dir-summary");
    fs.mkdirSync(path.join(dir, "summary.json"));
    const cli = (...args: string[]) => spawnSync(path.join(PROJECT, "node_modules/.bin/tsx"), ["benchmarks/cli.ts", "summarize", ...args], { cwd: PROJECT, encoding: "utf8" });
    const result = cli(dir);
    expect(result.stderr.trim()).toBe(`edgecall summarize: ${path.join(dir, "summary.json")}: is not a regular file, where the summary goes; move it aside`);
    fs.rmdirSync(path.join(dir, "summary.json"));
    fs.rmSync(path.join(dir, "run.json"));
    expect(cli(dir).stderr.trim()).toBe(`edgecall summarize: ${path.join(dir, "run.json")}: missing (a run directory holds calls.fastq, reads.jsonl and run.json)`);
  });

  it("removes the previous summary.json when a re-summarize fails, so report and db push cannot use stale figures", () => {
    const dir = runDir("stale");
    const cli = (command: string, ...args: string[]) => spawnSync(path.join(PROJECT, "node_modules/.bin/tsx"), ["benchmarks/cli.ts", command, ...args], { cwd: PROJECT, encoding: "utf8" });
    expect(cli("summarize", dir).status).toBe(0);
    expect(fs.existsSync(path.join(dir, "summary.json"))).toBe(true);
    // The run is redone and its timings no longer match the calls: the old figures describe nothing.
    const timings = fs.readFileSync(path.join(dir, "reads.jsonl"), "utf8").trim().split("\n");
    fs.writeFileSync(path.join(dir, "reads.jsonl"), `${timings.slice(1).join("\n")}\n`);
    const again = cli("summarize", dir);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("was removed: its figures are stale (reads.jsonl changed)");
    expect(fs.existsSync(path.join(dir, "summary.json"))).toBe(false);
    const report = cli("report", dir, "--out", path.join(tmp, "stale-report"));
    expect(report.status).toBe(1);
    expect(report.stderr.trim()).toBe(`edgecall report: ${dir}: no summaries (summary.json or *.summary.json) found`);
  });
});

/** Rewrites one JSON line of a run's reads.jsonl. */
function editTiming(dir: string, index: number, edit: (timing: Record<string, unknown>) => Record<string, unknown>): void {
  const file = path.join(dir, "reads.jsonl");
  const lines = fs.readFileSync(file, "utf8").trim().split("\n");
  lines[index] = JSON.stringify(edit(JSON.parse(lines[index]) as Record<string, unknown>));
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
}

/** A telemetry.jsonl with a flat 5 W VDD_IN sample at each of the given seconds after 10:00:00. */
function writeTelemetry(dir: string, seconds: number[]): void {
  const line = (s: number): string =>
    JSON.stringify({ time: new Date(Date.parse("2026-11-24T10:00:00Z") + s * 1000).toISOString(), cpu: [], temperatures: {}, rails: { VDD_IN: { mw: 5000 } } });
  fs.writeFileSync(path.join(dir, "telemetry.jsonl"), `${seconds.map(line).join("\n")}\n`);
}

describe.skipIf(reads.missing !== undefined || reference.missing !== undefined)("summarize: wrong answers that look right", () => {
  it("names the read and the field whose time is not a valid time", async () => {
    const dir = runDir("bad-read-time");
    const ids = fs.readFileSync(path.join(dir, "reads.jsonl"), "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { read_id: string }).read_id);
    editTiming(dir, 2, (t) => ({ ...t, start: "2026-02-30T10:00:00Z" }));
    await expect(summarizeRun(dir)).rejects.toThrow(
      `${path.join(dir, "reads.jsonl")}:3: read ${ids[2]}: start 2026-02-30T10:00:00Z is not a valid time (February 2026 has no day 30)`,
    );
    editTiming(dir, 2, (t) => ({ ...t, start: "2026-11-24T10:00:00Z", end: "soon" }));
    await expect(summarizeRun(dir)).rejects.toThrow(`${path.join(dir, "reads.jsonl")}:3: read ${ids[2]}: end soon is not a time: expected ISO 8601`);
  });

  it("names run.json's time field that is not a valid time, the baseline's too", async () => {
    const dir = runDir("bad-run-time");
    const file = path.join(dir, "run.json");
    const run = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
    fs.writeFileSync(file, JSON.stringify({ ...run, end: "2026-11-24T10:00:60Z" }));
    await expect(summarizeRun(dir)).rejects.toThrow(`${file}: end 2026-11-24T10:00:60Z is not a valid time (second 60 is past 59)`);
    fs.writeFileSync(file, JSON.stringify({ ...run, baseline: { start: "2026-11-24T10:00:00Z", end: "later" } }));
    await expect(summarizeRun(dir)).rejects.toThrow(`${file}: baseline.end later is not a time`);
  });

  it("says plainly when every read is in the warm-up", async () => {
    const dir = runDir("all-warmup");
    for (let i = 0; i < 12; i++) editTiming(dir, i, (t) => ({ ...t, warmup: true }));
    await expect(summarizeRun(dir)).rejects.toThrow(
      `${path.join(dir, "reads.jsonl")}: all 12 reads are warm-up reads ("warmup": true), so there is nothing timed to measure`,
    );
  });

  it("lists gaps in the telemetry inside the window in the summary and warns once", async () => {
    const dir = runDir("telemetry-gap");
    writeTelemetry(dir, [0, 0.1, 0.2, 0.3, 0.4, 2.6, 2.7, 2.8, 2.9, 3.0]);
    const warnings: string[] = [];
    const summary = await summarizeRun(dir, undefined, (line) => warnings.push(line));
    expect(summary.energy?.gaps).toEqual([{ from: "2026-11-24T10:00:00.400Z", to: "2026-11-24T10:00:02.600Z", seconds: 2.2 }]);
    expect(warnings).toEqual([
      `warning: ${path.join(dir, "telemetry.jsonl")}: 1 gap(s) in the input rail's samples inside the window (longer than 5 sampling intervals, or where the rail is missing), integrated as straight lines: ` +
        "2026-11-24T10:00:00.400Z .. 2026-11-24T10:00:02.600Z (2.2 s)",
    ]);
    const result = spawnSync(path.join(PROJECT, "node_modules/.bin/tsx"), ["benchmarks/cli.ts", "summarize", dir], { cwd: PROJECT, encoding: "utf8" });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe(`edgecall summarize: ${warnings[0]}\n`);
  });

  it("counts the span where the input rail is missing as a gap and warns that the log's rails change", async () => {
    const dir = runDir("rails-change");
    const at = (s: number): string => new Date(Date.parse("2026-11-24T10:00:00Z") + s * 1000).toISOString();
    const sample = (s: number, rails: Record<string, { mw: number }>): string => JSON.stringify({ time: at(s), cpu: [], temperatures: {}, rails });
    const orin = { VDD_IN: { mw: 5000 }, VDD_SOC: { mw: 1000 } };
    const other = { SYS5V: { mw: 1800 }, SOC: { mw: 900 } };
    // 0.1 s apart throughout, so only the missing rail, not the spacing, makes 1.0 .. 1.5 a gap.
    const seconds = Array.from({ length: 31 }, (_v, i) => i / 10);
    const lines = seconds.map((s) => sample(s, s > 1.0 && s < 1.5 ? other : orin));
    fs.writeFileSync(path.join(dir, "telemetry.jsonl"), `${lines.join("\n")}\n`);
    const warnings: string[] = [];
    const summary = await summarizeRun(dir, undefined, (line) => warnings.push(line));
    const telemetry = path.join(dir, "telemetry.jsonl");
    expect(summary.energy?.gaps).toEqual([{ from: at(1.0), to: at(1.5), seconds: 0.5 }]);
    expect(warnings).toEqual([
      `warning: ${telemetry}: its rails change at ${at(1.1)} (from VDD_IN, VDD_SOC to SOC, SYS5V): a log of another board appended? Where VDD_IN, the input rail, is missing, the span counts as a gap`,
      `warning: ${telemetry}: 1 gap(s) in the input rail's samples inside the window (longer than 5 sampling intervals, or where the rail is missing), integrated as straight lines: ${at(1.0)} .. ${at(1.5)} (0.5 s)`,
    ]);
  });

  it("refuses telemetry whose times go backwards, naming the file and line", async () => {
    const dir = runDir("telemetry-restarted");
    writeTelemetry(dir, [0, 1, 2, 3, 0, 1, 2, 3]);
    await expect(summarizeRun(dir)).rejects.toThrow(`${path.join(dir, "telemetry.jsonl")}:5: time 2026-11-24T10:00:00.000Z goes back from line 4's`);
  });

  it("warns when the reference it evaluates against is FASTQ (the calls given as reference)", async () => {
    const dir = runDir("swapped-reference");
    const warnings: string[] = [];
    const calls = path.join(dir, "calls.fastq");
    await summarizeRun(dir, calls, (line) => warnings.push(line));
    expect(warnings).toEqual([`warning: the reference ${calls} is FASTQ (reads, not a genome): are --calls and --reference swapped?`]);
  });
});

describe("summary figures", () => {
  it("takes quantiles by nearest rank", () => {
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBe(10);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(quantile([], 0.5)).toBeNull();
  });

  it("counts a clock drop under load as one throttle event per run of samples", () => {
    const sample = (load: number, freq: number) => ({ time: "2026-01-01T00:00:00Z", cpu: [], temperatures: {}, rails: {}, gpu_load_pct: load, gpu_freq_mhz: freq });
    expect(throttleEvents([sample(99, 921), sample(99, 600), sample(99, 600), sample(99, 921), sample(99, 500)])).toBe(2);
    // The governor lowering the clock at idle is not throttling.
    expect(throttleEvents([sample(99, 921), sample(5, 76), sample(99, 921)])).toBe(0);
  });

  it("counts CPU clock drops on the mean of the online cores", () => {
    const cores = (load: number, freq: number) => ({
      time: "2026-01-01T00:00:00Z",
      temperatures: {},
      rails: {},
      cpu: [{ load_pct: load, freq_mhz: freq }, { load_pct: load, freq_mhz: freq }, { load_pct: null, freq_mhz: null }],
    });
    // 1479 -> 1036 MHz (70%) at 90% load is a drop; an offline core does not pull the mean down.
    expect(throttleEvents([cores(90, 1479), cores(90, 1036), cores(90, 1479)])).toBe(1);
    expect(throttleEvents([cores(90, 1479), cores(90, 1400), cores(90, 1479)])).toBe(0);
  });
});
