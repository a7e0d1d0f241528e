import * as fs from "fs";
import * as path from "path";
import { CliError } from "../../common/cli-error";
import { readTextFile } from "../../common/read-text-file";
import { ExperimentDir } from "../../sweep/experiment-dir";
import { parseExperiment } from "../../sweep/experiment";
import { Point, expandGrid } from "../../sweep/grid";
import type { ReportRun } from "../collect";
import { parseStackOutput } from "../stack-output";

/** A measured point: its settings, as the grid gave them, and the runs its outputs hold. */
export interface MeasuredPoint {
  point: Point;
  runs: ReportRun[];
}

export interface ExperimentInput {
  name: string;
  stack: string;
  points: MeasuredPoint[];
  /** Points whose update failed, with Pulumi's reason. */
  failed: Array<{ point: Point; error: string }>;
  /** Points not measured yet (a sweep stopped early, or still running). */
  pending: Point[];
}

/** Whether `dir` is an experiment directory that `edgecall sweep` wrote. */
export function isExperimentDir(dir: string): boolean {
  return fs.existsSync(path.join(dir, "experiment.yaml")) && fs.existsSync(path.join(dir, "journal.jsonl"));
}

/**
 * The experiment in `dir`: each point the journal calls done, read from its saved stack outputs (the
 * summaries validated as `report -` validates them), the failed ones and the ones still to measure.
 */
export function collectExperiment(dir: string): ExperimentInput {
  const file = path.join(dir, "experiment.yaml");
  const experiment = parseExperiment(readTextFile(file, "the experiment file"), file);
  const experimentDir = new ExperimentDir(dir);
  const state = experimentDir.journal.read();
  const input: ExperimentInput = { name: experiment.experiment, stack: experiment.stack, points: [], failed: [], pending: [] };
  for (const point of expandGrid(experiment)) {
    if (state.done.has(point.id)) {
      const outputs = path.join(experimentDir.pointDir(point), "outputs.json");
      const { input: read } = parseStackOutput(readTextFile(outputs, "a point's saved stack outputs"), outputs);
      input.points.push({ point, runs: read.runs });
    } else if (state.failed.has(point.id)) {
      input.failed.push({ point, error: state.failed.get(point.id) ?? "" });
    } else {
      input.pending.push(point);
    }
  }
  if (input.points.length === 0) throw new CliError(`${dir}: no point of experiment ${experiment.experiment} is measured yet; run edgecall sweep ${file}`);
  return input;
}
