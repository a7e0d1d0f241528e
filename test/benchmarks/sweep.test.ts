import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { ExperimentDir } from "../../benchmarks/sweep/experiment-dir";
import { parseExperiment } from "../../benchmarks/sweep/experiment";
import { expandGrid } from "../../benchmarks/sweep/grid";
import { SweepRun, runSweep } from "../../benchmarks/sweep/run-sweep";
import type { StackDriver } from "../../benchmarks/sweep/stack-driver";
import { summaryFor } from "./helpers/summaries";

const PROJECT = path.resolve(__dirname, "../..");
function reportCli(args: string[]) {
  const result = spawnSync(process.execPath, [path.join(PROJECT, "node_modules/tsx/dist/cli.mjs"), "benchmarks/cli.ts", "report", ...args], { cwd: PROJECT, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-sweep-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const EXPERIMENT = `experiment: modes
stack: lab
repeats: 2
grid:
  powerMode:
    orin: [0, 1]
  jetsonClocks: [true, false]
`;

/**
 * A stack that records what the sweep does to it, in order: its config is a map, an update copies
 * the config into the outputs (so a point's outputs show the settings it ran with), and an update
 * can be made to fail or to be the one during which the sweep is killed.
 */
class RecordingStack implements StackDriver {
  readonly calls: string[] = [];
  constructor(
    readonly config: Map<string, string>,
    private readonly failOn: (config: Map<string, string>) => string | undefined = () => undefined,
  ) {}
  async getConfig(key: string) {
    return this.config.get(key);
  }
  async setConfig(key: string, value: string) {
    this.calls.push(`set ${key}=${value}`);
    this.config.set(key, value);
  }
  async removeConfig(key: string) {
    this.calls.push(`rm ${key}`);
    this.config.delete(key);
  }
  async up(onOutput: (text: string) => void, _signal?: AbortSignal) {
    this.calls.push(`up ${this.config.get("edgecall:benchmark.runId") ?? "(own)"}`);
    onOutput("Updating (lab)\n");
    const failure = this.failOn(this.config);
    if (failure !== undefined) throw new Error(`stderr: error: ${failure}`);
  }
  async outputs(): Promise<Record<string, unknown>> {
    return { benchmarks: { settings: Object.fromEntries(this.config) } };
  }
  async recover() {
    this.calls.push("recover");
  }
}

function sweep(name: string, stack: StackDriver, options: Partial<SweepRun> = {}): { run: SweepRun; dir: ExperimentDir; log: string[] } {
  const log: string[] = [];
  const dir = new ExperimentDir(path.join(tmp, name));
  const run: SweepRun = {
    experiment: parseExperiment(EXPERIMENT, "modes.yaml"),
    experimentText: EXPERIMENT,
    experimentFile: "modes.yaml",
    dir,
    driver: stack,
    recover: false,
    restoreOnly: false,
    stopRequested: () => false,
    log: (line) => log.push(line),
    ...options,
  };
  return { run, dir, log };
}

const OWN = () => new Map([["edgecall:power.nvpmodel.orin", "0"], ["edgecall:benchmark.runId", "run7"], ["edgecall:power.jetsonClocks", "true"]]);
const events = (dir: ExperimentDir) => fs.readFileSync(dir.journal.file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { event: string; point?: string });

describe("edgecall sweep: the experiment file", () => {
  it("names the file and the field of each mistake", () => {
    const cases: Array<[string, string]> = [
      ["experiment: Modes!\nstack: lab\ngrid: {precision: [fp16]}\n", "x.yaml: experiment: expected a lowercase DNS label (a-z, 0-9, '-')"],
      ["experiment: modes\nstack: lab\ngrid: {powerMode: {orin: [0, 0]}}\n", "x.yaml: grid.powerMode.orin: a value is listed twice"],
      ["experiment: modes\nstack: lab\ngrid: {powerMode: {tx2: [0]}}\n", 'x.yaml: grid.powerMode: Unrecognized key: "tx2"'],
      ["experiment: modes\nstack: lab\ngrid: {precision: [int4]}\n", "x.yaml: grid.precision[0]:"],
      ["experiment: modes\nstack: lab\ngrid: {}\n", "x.yaml: grid: give at least one axis: powerMode, jetsonClocks, precision or batchSize"],
      ["experiment: modes\nstack: lab\ngrid: {precision: [fp16]}\nclocks: [true]\n", 'x.yaml: (the file): Unrecognized key: "clocks"'],
      ["experiment: a-very-long-experiment\nstack: lab\ngrid: {precision: [fp16]}\n", "x.yaml: experiment: at most 15 characters (each point's run id adds -p<k>)"],
      ["experiment: [unclosed\n", "x.yaml: not valid YAML:"],
    ];
    for (const [text, message] of cases) expect(() => parseExperiment(text, "x.yaml"), text).toThrow(message);
  });

  it("expands the grid in a stable order: power modes by kind, then clocks, precision and batch size, the last changing fastest", () => {
    const experiment = parseExperiment("experiment: grid\nstack: lab\ngrid:\n  batchSize: [8, 16]\n  powerMode: {xavier: [2], nano: [1, 0]}\n", "g.yaml");
    const points = expandGrid(experiment);
    expect(points.map((p) => [p.id, p.runId, p.label])).toEqual([
      ["p1", "grid-p1", "nano mode 1, xavier mode 2, batch 8"],
      ["p2", "grid-p2", "nano mode 1, xavier mode 2, batch 16"],
      ["p3", "grid-p3", "nano mode 0, xavier mode 2, batch 8"],
      ["p4", "grid-p4", "nano mode 0, xavier mode 2, batch 16"],
    ]);
    expect(points[2].settings).toEqual([
      { key: "edgecall:power.nvpmodel.nano", value: 0 },
      { key: "edgecall:power.nvpmodel.xavier", value: 2 },
      { key: "edgecall:benchmark.batchSize", value: 8 },
      { key: "edgecall:benchmark.repeats", value: 1 },
      { key: "edgecall:benchmark.runId", value: "grid-p3" },
    ]);
    expect(expandGrid(experiment)).toEqual(points);
  });
});

describe("edgecall sweep: running the grid", () => {
  it("runs each point under its own run id, saves its outputs before the journal calls it done, and puts the stack's own config back", async () => {
    const stack = new RecordingStack(OWN());
    const { run, dir } = sweep("whole", stack);
    const append = dir.journal.append.bind(dir.journal);
    dir.journal.append = (event) => {
      // Never "done" before the point's outputs are whole on disk.
      if (event.event === "done") expect(fs.existsSync(path.join(dir.pointDir(event.point), "outputs.json")), event.point).toBe(true);
      append(event);
    };
    const outcome = await runSweep(run);
    expect(outcome).toMatchObject({ points: 4, measured: ["p1", "p2", "p3", "p4"], skipped: [], failed: [], stopped: false });
    expect(stack.calls.filter((c) => c.startsWith("up "))).toEqual(["up modes-p1", "up modes-p2", "up modes-p3", "up modes-p4", "up run7"]);
    const p3 = JSON.parse(fs.readFileSync(path.join(dir.pointDir("p3"), "outputs.json"), "utf8")) as { benchmarks: { settings: Record<string, string> } };
    expect(p3.benchmarks.settings).toMatchObject({ "edgecall:power.nvpmodel.orin": "1", "edgecall:power.jetsonClocks": "true", "edgecall:benchmark.repeats": "2" });
    // Back as it was: repeats, which the stack did not set, removed; the others set back.
    expect(Object.fromEntries(stack.config)).toEqual(Object.fromEntries(OWN()));
    expect(events(dir).map((e) => `${e.event}${e.point === undefined ? "" : ` ${e.point}`}`)).toEqual([
      "start p1", "done p1", "start p2", "done p2", "start p3", "done p3", "start p4", "done p4", "restored",
    ]);
  });

  it("killed inside a point, asks for --recover; run again with it, skips what was measured, redoes that point, and restores the first saved config", async () => {
    // A kill inside p2's update: the process ends there, before the journal hears anything more.
    // Stood in for by an update that throws, and a journal that takes no event after it.
    const killing = new RecordingStack(OWN(), (config) => (config.get("edgecall:benchmark.runId") === "modes-p2" ? "killed" : undefined));
    const { run, dir } = sweep("killed", killing);
    const original = dir.journal.append.bind(dir.journal);
    let dead = false;
    dir.journal.append = (event) => {
      if (event.event === "failed") dead = true;
      if (!dead) original(event);
    };
    await runSweep({ ...run, driver: killing }).catch(() => undefined);
    dir.journal.append = original;
    expect(events(dir).map((e) => `${e.event} ${e.point}`)).toEqual(["start p1", "done p1", "start p2"]);
    const firstOutputs = fs.statSync(path.join(dir.pointDir("p1"), "outputs.json")).mtimeMs;

    // The stack now holds p2's settings; the saved config must stay the stack's own.
    const resumed = new RecordingStack(new Map(killing.config));
    await expect(runSweep({ ...run, driver: resumed })).rejects.toThrow(/stopped inside point p2 \(killed\?\).*run the sweep again with --recover/);
    const outcome = await runSweep({ ...run, driver: resumed, recover: true });
    expect(resumed.calls[0]).toBe("recover");
    expect(outcome).toMatchObject({ measured: ["p2", "p3", "p4"], skipped: ["p1"] });
    expect(resumed.calls.filter((c) => c.startsWith("up "))).toEqual(["up modes-p2", "up modes-p3", "up modes-p4", "up run7"]);
    expect(fs.statSync(path.join(dir.pointDir("p1"), "outputs.json")).mtimeMs).toBe(firstOutputs);
    expect(Object.fromEntries(resumed.config)).toEqual(Object.fromEntries(OWN()));
  });

  it("records a point whose update fails and goes on; stops after the current update when asked, restoring either way", async () => {
    const stack = new RecordingStack(OWN(), (config) => (config.get("edgecall:power.nvpmodel.orin") === "1" && config.get("edgecall:power.jetsonClocks") === "false" ? "nvpmodel -m 1 refused" : undefined));
    const { run, log } = sweep("failing", stack);
    const outcome = await runSweep(run);
    expect(outcome.failed).toEqual([{ point: "p4", error: "error: nvpmodel -m 1 refused" }]);
    expect(log.some((l) => l.startsWith("point p4 failed: error: nvpmodel -m 1 refused"))).toBe(true);
    expect(Object.fromEntries(stack.config)).toEqual(Object.fromEntries(OWN()));
    // Run again: only the failed point is tried.
    const again = new RecordingStack(OWN());
    expect((await runSweep({ ...run, driver: again })).measured).toEqual(["p4"]);

    let updates = 0;
    const stopping = new RecordingStack(OWN());
    const up = stopping.up.bind(stopping);
    stopping.up = async (onOutput: (text: string) => void, signal?: AbortSignal) => {
      updates += 1;
      await up(onOutput, signal);
    };
    const stopped = await runSweep({ ...sweep("stopped", stopping).run, stopRequested: () => updates >= 2 });
    expect(stopped).toMatchObject({ measured: ["p1", "p2"], stopped: true });
    expect(Object.fromEntries(stopping.config)).toEqual(Object.fromEntries(OWN()));
  });

  it("refuses a directory that holds another experiment", async () => {
    const { run } = sweep("other", new RecordingStack(OWN()));
    await runSweep(run);
    await expect(runSweep({ ...run, experimentText: EXPERIMENT.replace("repeats: 2", "repeats: 3") })).rejects.toThrow(/holds another experiment \(its experiment\.yaml differs from modes\.yaml\)/);
  });
});

describe("edgecall report EXPERIMENT_DIR", () => {
  /** Outputs as a stack gives them: an orin runs rodan faster and hungrier in mode 0, and a nano sacall that keeps mode 0 whatever is asked. */
  class MeasuringStack extends RecordingStack {
    override async outputs(): Promise<Record<string, unknown>> {
      const mode = Number(this.config.get("edgecall:power.nvpmodel.orin"));
      const clocks = this.config.get("edgecall:power.jetsonClocks") === "true";
      const runId = this.config.get("edgecall:benchmark.runId") ?? "";
      const summary = (model: string, kind: string, powerMode: string, basesPerS: number, watts: number, repeat: number) => {
        const s = summaryFor(model, repeat, basesPerS);
        return {
          ...s,
          run_id: runId,
          board_kind: kind,
          energy: { rail: "VDD_IN", joules: watts * 60, mean_watts: watts, seconds: 60, joules_per_read: null, joules_per_megabase: (watts * 60) / ((basesPerS * 60) / 1e6), above_idle: null, per_rail_mean_watts: {} },
          provenance: { ...s.provenance, power_mode: powerMode, jetson_clocks: clocks },
        };
      };
      const speed = (mode === 0 ? 2000 : 1200) * (clocks ? 1 : 0.9);
      const watts = (mode === 0 ? 12 : 6) * (clocks ? 1 : 0.95);
      return {
        benchmarks: {
          rodan: { status: "measured", runId, summaries: [0, 1].map((r) => summary("rodan", "orin", mode === 0 ? "0 (MAXN)" : "1 (MODE_15W)", speed + r, watts, r)) },
          sacall: { status: "measured", runId, summaries: [0, 1].map((r) => summary("sacall", "nano", "0 (MAXN)", 500 + r, 5, r)) },
        },
      };
    }
  }

  it("compares the settings per model: the fastest, the most frugal, the fastest under a power cap, and flags a mode a board did not take", async () => {
    const { run, dir } = sweep("report", new MeasuringStack(OWN()));
    const experiment = EXPERIMENT.replace("orin: [0, 1]", "orin: [0, 1]\n    nano: [1]");
    await runSweep({ ...run, experimentText: experiment, experiment: parseExperiment(experiment, "modes.yaml") });
    const out = path.join(tmp, "report-out");
    const result = reportCli([dir.dir, "--out", out, "--power-cap-w", "8", "--json"]);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toMatchObject({ points: 4, failed: 0, pending: 0 });
    const md = fs.readFileSync(path.join(out, "summary.md"), "utf8");
    // p1: mode 0, clocks on; p2: mode 0, clocks off; p3: mode 1, clocks on; p4: mode 1, clocks off.
    expect(md).toContain("| rodan | p1 (nano mode 1, orin mode 0, jetson_clocks true): 2000.5 bases/s | p3 (nano mode 1, orin mode 1, jetson_clocks true): 4997.9 J/Mbase | p3 (nano mode 1, orin mode 1, jetson_clocks true): 1200.5 bases/s at 6.00 W |");
    // The nano stayed in mode 0 at every point, so none of sacall's settings is compared.
    expect(md).toContain("| sacall | none | none | none |");
    expect(md).toMatch(/\| sacall \| p1 \| nano mode 1, orin mode 0, jetson_clocks true \| 2 \| 500\.5 \|.*\| NOT TAKEN: board ran power mode 0 \(MAXN\), not 1 \|/);
    const html = fs.readFileSync(path.join(out, "index.html"), "utf8");
    expect(html).toContain('<td class="flag">NOT TAKEN: board ran power mode 0 (MAXN), not 1</td>');
    // rodan's frontier: p1 (fastest) and p3 (most frugal); p2 and p4 are beaten by p1 and p3.
    expect(md.split("\n").filter((l) => l.startsWith("| rodan | p") && l.includes("| yes |")).map((l) => l.split(" | ")[1])).toEqual(["p1", "p3"]);
  });

  it("says which points failed or wait, and refuses a cap without an experiment", async () => {
    const failing = new MeasuringStack(OWN(), (config) => (config.get("edgecall:benchmark.runId") === "modes-p2" ? "board sim-orin unreachable" : undefined));
    const { run, dir } = sweep("report-failed", failing);
    let ups = 0;
    const up = failing.up.bind(failing);
    failing.up = async (onOutput: (text: string) => void, signal?: AbortSignal) => {
      ups += 1;
      await up(onOutput, signal);
    };
    await runSweep({ ...run, stopRequested: () => ups >= 3 });
    const out = path.join(tmp, "report-failed-out");
    expect(reportCli([dir.dir, "--out", out]).code).toBe(0);
    const md = fs.readFileSync(path.join(out, "summary.md"), "utf8");
    expect(md).toContain("Experiment modes on stack lab: 2 point(s) measured.");
    expect(md).toContain("Point p2 (orin mode 0, jetson_clocks false) failed: error: board sim-orin unreachable");
    expect(md).toContain("Not measured yet: p4 (orin mode 1, jetson_clocks false); run the sweep again to measure them.");
    expect(reportCli([tmp, "--out", out, "--power-cap-w", "8"]).stderr).toBe("edgecall report: --power-cap-w is for an experiment directory (edgecall sweep's --dir)\n");
    expect(reportCli([dir.dir, "--out", out, "--power-cap-w=-1"]).stderr).toBe("edgecall report: --power-cap-w must be a positive number of watts, got -1\n");
  });
});

describe("the experiment the README shows (stacks/experiments/lab-power-modes.yaml)", () => {
  it("is a valid experiment of four points on the lab stack", () => {
    const file = path.join(PROJECT, "stacks/experiments/lab-power-modes.yaml");
    const experiment = parseExperiment(fs.readFileSync(file, "utf8"), file);
    expect(experiment.stack).toBe("lab");
    expect(expandGrid(experiment).map((p) => p.label)).toEqual([
      "nano mode 0, jetson_clocks true",
      "nano mode 0, jetson_clocks false",
      "nano mode 1, jetson_clocks true",
      "nano mode 1, jetson_clocks false",
    ]);
  });
});
