import { spawnSync } from "child_process";
import { CliError } from "../common/cli-error";
import { summarySchema } from "../../domain/summary";
import { loadReportSchema } from "../../domain/load-report";
import { ModelReadUntil, liveRateSchema, modelReadUntilSchema } from "../../domain/live";
import type { ReportInput } from "./collect";
import type { SpeedupPoint } from "../../domain/keep-up";

/** Runs read from a stack, and the scaling curves when the JSON carried the `scaling` output too. */
export interface StackReportInput {
  input: ReportInput;
  curves: Record<string, SpeedupPoint[]>;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function curvesOf(scaling: unknown): Record<string, SpeedupPoint[]> {
  if (!isObject(scaling)) return {};
  const curves: Record<string, SpeedupPoint[]> = {};
  for (const [model, entry] of Object.entries(scaling)) {
    if (isObject(entry) && entry.status === "measured" && Array.isArray(entry.curve)) curves[model] = entry.curve as SpeedupPoint[];
  }
  return curves;
}

/**
 * The load Jobs' reports of the `load` output, one series per model: each measured one validated
 * as a loadgen file is, and named by model when it is not one.
 */
function loadsOf(load: unknown, source: string): ReportInput["loads"] {
  if (!isObject(load)) return [];
  const loads: ReportInput["loads"] = [];
  for (const [model, entry] of Object.entries(load)) {
    if (!isObject(entry) || entry.status !== "measured") continue;
    const parsed = loadReportSchema.safeParse(entry.report);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new CliError(`${source}: load.${model}.report is not a loadgen report: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
    }
    // The model's name, not the service URL, names the series: the page is read by model.
    loads.push({ source: `${source}:load.${model}`, target: model, levels: parsed.data.levels });
  }
  return loads;
}

/** The live Jobs' verdicts of the `live` output, one entry per measured model, each rate validated. */
function livesOf(live: unknown, source: string): NonNullable<ReportInput["lives"]> {
  if (!isObject(live)) return [];
  const lives: NonNullable<ReportInput["lives"]> = [];
  for (const [model, entry] of Object.entries(live)) {
    if (!isObject(entry) || entry.status !== "measured") continue;
    if (!Array.isArray(entry.rates)) throw new CliError(`${source}: live.${model} is measured but has no rates list`);
    const rates = entry.rates.map((raw: unknown, i: number) => {
      const parsed = liveRateSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new CliError(`${source}: live.${model}.rates[${i}] is not a live rate: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
      }
      return parsed.data;
    });
    let readUntil: ModelReadUntil | undefined;
    if (entry.readUntil !== undefined) {
      const parsed = modelReadUntilSchema.safeParse(entry.readUntil);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new CliError(`${source}: live.${model}.readUntil is not a read-until result: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
      }
      readUntil = parsed.data;
    }
    lives.push({ model, engine: String(entry.engine ?? "torch"), precision: String(entry.precision ?? "fp32"), durationS: Number(entry.durationS ?? 0), rates, ...(readUntil === undefined ? {} : { readUntil }) });
  }
  return lives;
}

/**
 * The `benchmarks` stack output (`pulumi stack output benchmarks --json`), or every output at once
 * (`pulumi stack output --json`, which adds the scaling curves and the load Jobs' reports). Only
 * measured models carry summaries; each is validated as a summary file is, and named by model and
 * repeat when it is not one.
 */
export function parseStackOutput(text: string, source: string): StackReportInput {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError(`${source}: not JSON; give the output of \`pulumi stack output --json\``);
  }
  if (!isObject(json)) throw new CliError(`${source}: not the benchmarks stack output (a JSON object of models)`);
  const benchmarks = isObject(json.benchmarks) ? json.benchmarks : json;
  const curves = isObject(json.benchmarks) ? curvesOf(json.scaling) : {};
  const runs: ReportInput["runs"] = [];
  for (const [model, entry] of Object.entries(benchmarks)) {
    if (!isObject(entry) || entry.status !== "measured") continue;
    if (!Array.isArray(entry.summaries)) throw new CliError(`${source}: ${model} is measured but has no summaries list`);
    entry.summaries.forEach((raw: unknown, i: number) => {
      const parsed = summarySchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new CliError(`${source}: ${model}.summaries[${i}] is not an edgecall summary: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
      }
      runs.push({ summary: parsed.data, source: `${source}:${model}[${i}]`, samples: [] });
    });
  }
  if (runs.length === 0) throw new CliError(`${source}: no measured model with summaries (models only rendered, or no benchmark config)`);
  const loads = isObject(json.benchmarks) ? loadsOf(json.load, source) : [];
  const lives = isObject(json.benchmarks) ? livesOf(json.live, source) : [];
  return { input: { runs, loads, lives, source: "stack output" }, curves };
}

/** `pulumi stack output --json --stack NAME` (every output: benchmarks, scaling, load), run with the pulumi on PATH. */
export function readStack(stack: string): string {
  const args = ["stack", "output", "--json", "--stack", stack];
  const result = spawnSync("pulumi", args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (result.error !== undefined) {
    const code = (result.error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new CliError("--stack: pulumi is not on PATH; install the Pulumi CLI, or pipe `pulumi stack output --json` into `edgecall report -`");
    throw new CliError(`--stack: cannot run pulumi (${result.error.message})`);
  }
  if (result.status !== 0) {
    const why = (result.stderr ?? "").trim().split("\n").filter((l) => l !== "").pop() ?? `exit status ${String(result.status)}`;
    throw new CliError(`--stack ${stack}: \`pulumi ${args.join(" ")}\` failed: ${why}`);
  }
  return result.stdout;
}
