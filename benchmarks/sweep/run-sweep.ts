import * as fs from "fs";
import { CliError } from "../common/cli-error";
import type { ExperimentDir, SavedConfig } from "./experiment-dir";
import type { Experiment } from "./experiment";
import { Point, expandGrid, sweptKeys } from "./grid";
import type { StackDriver } from "./stack-driver";

/** Run ids are `<experiment>-p<k>` of at most 20 characters: with a 15-character name, p999 is the last. */
const MAX_POINTS = 999;

export interface SweepRun {
  experiment: Experiment;
  /** The experiment file's text and name, kept in the directory so a re-run is the same experiment. */
  experimentText: string;
  experimentFile: string;
  dir: ExperimentDir;
  driver: StackDriver;
  /** Remove a killed update's lock and pending creates first (`--recover`). */
  recover: boolean;
  /** Only put the stack's own config back and apply it (`--restore-only`). */
  restoreOnly: boolean;
  /** Set by the first ^C: the sweep runs no further point and puts the config back. */
  stopRequested: () => boolean;
  log: (line: string) => void;
  now?: () => number;
}

export interface SweepOutcome {
  points: number;
  measured: string[];
  skipped: string[];
  failed: Array<{ point: string; error: string }>;
  stopped: boolean;
}

const minutes = (ms: number): string => `${Math.floor(ms / 60_000)}:${String(Math.round((ms % 60_000) / 1000)).padStart(2, "0")}`;

/** The last line of an update's error that says something: Pulumi's own summary of why. */
function lastWords(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // The Automation API's CommandError holds "code: N", "stdout: ...", "stderr: ...": the stream names go.
  const lines = text
    .split("\n")
    .map((l) => l.trim().replace(/^(stdout|stderr|err\?):\s*/, ""))
    .filter((l) => l !== "" && !/^(at |code: )/.test(l));
  return (lines.filter((l) => /error/i.test(l)).pop() ?? lines.pop() ?? "pulumi up failed").slice(0, 400);
}

async function saveOriginal(run: SweepRun): Promise<SavedConfig> {
  const saved = run.dir.savedConfig();
  if (saved !== undefined) return saved;
  const config: SavedConfig = {};
  for (const key of sweptKeys(run.experiment)) config[key] = (await run.driver.getConfig(key)) ?? null;
  run.dir.saveConfig(config);
  return config;
}

async function applySettings(driver: StackDriver, point: Point): Promise<void> {
  for (const setting of point.settings) await driver.setConfig(setting.key, String(setting.value));
}

/** Puts every swept key back as the stack had it and applies it: the boards end as configured before the sweep. */
async function restore(run: SweepRun, saved: SavedConfig): Promise<void> {
  run.log("putting the stack's own config back and applying it (pulumi up)");
  for (const [key, value] of Object.entries(saved)) {
    if (value === null) await run.driver.removeConfig(key);
    else await run.driver.setConfig(key, value);
  }
  const log = run.dir.upLog("restore");
  fs.writeFileSync(log, "");
  try {
    await run.driver.up((text) => fs.appendFileSync(log, text), new AbortController().signal);
  } catch (error) {
    throw new CliError(`the stack's own config is back, but applying it failed: ${lastWords(error)} (see ${log}); fix it and run the sweep again with --restore-only`);
  }
  run.dir.journal.append({ event: "restored", at: new Date().toISOString() });
}

/**
 * Runs every point of the grid not yet measured, in order: sets its settings, `pulumi up` (the
 * benchmarks run under the point's run id), and saves its settings and outputs before the journal
 * calls it done. A point whose update fails is recorded and the sweep goes on; a ^C stops after the
 * current update. At the end, in every case, the stack's own config is put back and applied.
 */
export async function runSweep(run: SweepRun): Promise<SweepOutcome> {
  const now = run.now ?? Date.now;
  const points = expandGrid(run.experiment);
  if (points.length > MAX_POINTS) throw new CliError(`${run.experimentFile}: the grid has ${points.length} points; at most ${MAX_POINTS} (run ids are <experiment>-p<k>)`);
  run.dir.open(run.experimentText, run.experimentFile);
  const state = run.dir.journal.read();
  if (state.interrupted !== undefined && !run.recover) {
    throw new CliError(
      `${run.dir.dir}: the last sweep stopped inside point ${state.interrupted} (killed?), which leaves the stack ${run.experiment.stack} locked; ` +
        "once no pulumi runs on it, run the sweep again with --recover (it removes the lock and the update's pending creates, then redoes that point)",
    );
  }
  if (run.recover) {
    run.log(`recovering stack ${run.experiment.stack}: removing the killed update's lock and pending creates`);
    await run.driver.recover();
  }
  const saved = await saveOriginal(run);
  const outcome: SweepOutcome = { points: points.length, measured: [], skipped: [], failed: [], stopped: false };
  if (!run.restoreOnly) {
    const todo = points.filter((p) => !state.done.has(p.id));
    outcome.skipped = points.filter((p) => state.done.has(p.id)).map((p) => p.id);
    if (outcome.skipped.length > 0) run.log(`${outcome.skipped.length} of ${points.length} points already measured (${outcome.skipped.join(", ")}): skipped`);
    const started = now();
    for (const [i, point] of todo.entries()) {
      if (run.stopRequested()) {
        outcome.stopped = true;
        break;
      }
      const elapsed = now() - started;
      const left = i === 0 ? "" : `, about ${minutes((elapsed / i) * (todo.length - i))} left`;
      run.log(`point ${points.indexOf(point) + 1} of ${points.length} (${point.id}: ${point.label}): elapsed ${minutes(elapsed)}${left}`);
      run.dir.journal.append({ event: "start", point: point.id, at: new Date().toISOString() });
      await applySettings(run.driver, point);
      const log = run.dir.upLog(point);
      fs.writeFileSync(log, "");
      try {
        await run.driver.up((text) => fs.appendFileSync(log, text), new AbortController().signal);
      } catch (error) {
        if (run.stopRequested()) {
          run.dir.journal.append({ event: "stopped", point: point.id, at: new Date().toISOString() });
          outcome.stopped = true;
          break;
        }
        const why = lastWords(error);
        run.dir.journal.append({ event: "failed", point: point.id, at: new Date().toISOString(), error: why });
        outcome.failed.push({ point: point.id, error: why });
        run.log(`point ${point.id} failed: ${why} (see ${log}); going on`);
        continue;
      }
      run.dir.savePoint(point, await run.driver.outputs());
      run.dir.journal.append({ event: "done", point: point.id, at: new Date().toISOString() });
      outcome.measured.push(point.id);
    }
  }
  await restore(run, saved);
  return outcome;
}
