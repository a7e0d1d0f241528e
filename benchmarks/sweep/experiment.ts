import { YAMLError, parse } from "yaml";
import { z } from "zod";
import { BOARDS } from "../../domain/models";
import { PRECISIONS } from "../../domain/precision";
import { CliError } from "../common/cli-error";
import { readTextFile } from "../common/read-text-file";

/**
 * Each point's run id is `<experiment>-p<k>` and must be a stack run id (a DNS label of at most 20
 * characters), so the name is a DNS label of at most 15.
 */
const NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** A grid axis: the values to try, in the order given, each once. */
function axis<T extends z.ZodType<string | number | boolean>>(value: T) {
  return z
    .array(value)
    .min(1, "give at least one value")
    .refine((values) => new Set(values).size === values.length, "a value is listed twice");
}

/**
 * An experiment file (YAML): the stack to drive, the settings to sweep and how often to repeat each
 * point. Every axis maps to one stack config key (sweep/grid.ts); an axis left out keeps the stack's
 * own value.
 */
export const experimentSchema = z.strictObject({
  /** Names the experiment's run ids and its default directory (experiments/<name>). */
  experiment: z.string().max(15, "at most 15 characters (each point's run id adds -p<k>)").regex(NAME, "expected a lowercase DNS label (a-z, 0-9, '-')"),
  /** The Pulumi stack the sweep configures and updates, point after point. */
  stack: z.string().min(1),
  /** benchmark.repeats at every point. */
  repeats: z.number().int().min(1).max(20).default(1),
  grid: z
    .strictObject({
      /** nvpmodel modes per board kind (power.nvpmodel.<kind>). */
      powerMode: z.partialRecord(z.enum(BOARDS), axis(z.number().int().min(0))).optional(),
      /** power.jetsonClocks. */
      jetsonClocks: axis(z.boolean()).optional(),
      /** benchmark.precision. */
      precision: axis(z.enum(PRECISIONS)).optional(),
      /** benchmark.batchSize. */
      batchSize: axis(z.number().int().min(1).max(4096)).optional(),
    })
    .refine((grid) => Object.values(grid).some((value) => value !== undefined && Object.keys(value).length > 0), "give at least one axis: powerMode, jetsonClocks, precision or batchSize"),
});

export type Experiment = z.infer<typeof experimentSchema>;

/** Where a zod issue is, as `grid.powerMode.orin[1]`. */
function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((text, part) => (typeof part === "number" ? `${text}[${part}]` : text === "" ? String(part) : `${text}.${String(part)}`), "");
}

/** The experiment in `text` (from `file`), or a CliError naming the file, the field and what to do. */
export function parseExperiment(text: string, file: string): Experiment {
  let raw: unknown;
  try {
    raw = parse(text, { maxAliasCount: 100 });
  } catch (error) {
    const reason = error instanceof YAMLError ? error.message.split("\n")[0] : error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new CliError(`${file}: not valid YAML: ${reason}`);
  }
  const parsed = experimentSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(`${file}: ${fieldPath(issue.path) || "(the file)"}: ${issue.message}`);
  }
  return parsed.data;
}

export function readExperiment(file: string): Experiment {
  return parseExperiment(readTextFile(file, "an experiment file (YAML)"), file);
}
