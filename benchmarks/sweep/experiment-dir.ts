import * as fs from "fs";
import * as path from "path";
import { CliError } from "../common/cli-error";
import { writeOutputFile } from "../common/output-file";
import { Journal } from "./journal";
import type { Point } from "./grid";

/** A stack config value as saved before the sweep: the value, or null where the stack had none. */
export type SavedConfig = Record<string, string | null>;

/**
 * An experiment's directory: `experiment.yaml` (the file the sweep ran), `original-config.json`
 * (the stack's own values of every swept key, saved once, before the first point), `journal.jsonl`,
 * and `points/<id>/` with each point's `settings.json` and `outputs.json` (the whole stack output)
 * and `up.log` (the update's output).
 */
export class ExperimentDir {
  readonly journal: Journal;

  constructor(readonly dir: string) {
    this.journal = new Journal(path.join(dir, "journal.jsonl"));
  }

  /** Creates the directory for `experimentText`, or checks that it holds the same experiment. */
  open(experimentText: string, experimentFile: string): void {
    const copy = path.join(this.dir, "experiment.yaml");
    if (fs.existsSync(copy)) {
      if (fs.readFileSync(copy, "utf8") !== experimentText) {
        throw new CliError(`${this.dir}: holds another experiment (its experiment.yaml differs from ${experimentFile}); give another --dir, or move it aside to start again`);
      }
      return;
    }
    fs.mkdirSync(path.join(this.dir, "points"), { recursive: true });
    writeOutputFile(copy, experimentText, "--dir");
  }

  pointDir(point: Point | string): string {
    return path.join(this.dir, "points", typeof point === "string" ? point : point.id);
  }

  /** The stack's own values, saved by the first sweep of this experiment (later ones must not overwrite them). */
  savedConfig(): SavedConfig | undefined {
    const file = path.join(this.dir, "original-config.json");
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as SavedConfig) : undefined;
  }

  saveConfig(config: SavedConfig): void {
    writeOutputFile(path.join(this.dir, "original-config.json"), `${JSON.stringify(config, null, 2)}\n`, "--dir");
  }

  /** A point's settings and outputs, each written whole before the journal may call the point done. */
  savePoint(point: Point, outputs: unknown): void {
    const dir = this.pointDir(point);
    fs.mkdirSync(dir, { recursive: true });
    writeOutputFile(path.join(dir, "settings.json"), `${JSON.stringify({ id: point.id, runId: point.runId, label: point.label, settings: point.settings }, null, 2)}\n`, "--dir");
    writeOutputFile(path.join(dir, "outputs.json"), `${JSON.stringify(outputs, null, 2)}\n`, "--dir");
  }

  upLog(point: Point | "restore"): string {
    const dir = point === "restore" ? this.dir : this.pointDir(point);
    fs.mkdirSync(dir, { recursive: true });
    return path.join(dir, point === "restore" ? "restore-up.log" : "up.log");
  }
}
