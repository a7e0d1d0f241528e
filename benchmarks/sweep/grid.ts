import type { Experiment } from "./experiment";

/** One stack config setting of a point: the key (a `pulumi config set --path` path) and its value. */
export interface Setting {
  key: string;
  value: string | number | boolean;
}

/** One point of the grid: its id (`p1`...), run id, a label for people, and the settings it applies. */
export interface Point {
  id: string;
  runId: string;
  label: string;
  settings: Setting[];
}

interface Axis {
  key: string;
  /** How the axis names itself in a point's label. */
  name: string;
  values: ReadonlyArray<string | number | boolean>;
}

/** The experiment's axes in a fixed order (the schema's): power modes by board kind, clocks, precision, batch size. */
function axes(experiment: Experiment): Axis[] {
  const { grid } = experiment;
  const list: Axis[] = [];
  for (const [kind, modes] of Object.entries(grid.powerMode ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    if (modes !== undefined) list.push({ key: `edgecall:power.nvpmodel.${kind}`, name: `${kind} mode`, values: modes });
  }
  if (grid.jetsonClocks) list.push({ key: "edgecall:power.jetsonClocks", name: "jetson_clocks", values: grid.jetsonClocks });
  if (grid.precision) list.push({ key: "edgecall:benchmark.precision", name: "precision", values: grid.precision });
  if (grid.batchSize) list.push({ key: "edgecall:benchmark.batchSize", name: "batch", values: grid.batchSize });
  return list;
}

/** Every stack config key a sweep of this experiment sets (to save before and put back after). */
export function sweptKeys(experiment: Experiment): string[] {
  return [...axes(experiment).map((a) => a.key), "edgecall:benchmark.repeats", "edgecall:benchmark.runId"];
}

/**
 * The grid's points, in a stable order: the product of the axes, the last axis changing fastest and
 * each axis's values in the order the file gives them, so `p3` is the same point on every run.
 */
export function expandGrid(experiment: Experiment): Point[] {
  let combos: Setting[][] = [[]];
  const list = axes(experiment);
  for (const a of list) combos = combos.flatMap((combo) => a.values.map((value) => [...combo, { key: a.key, value }]));
  return combos.map((combo, i) => {
    const id = `p${i + 1}`;
    const runId = `${experiment.experiment}-${id}`;
    const label = combo.map((s, j) => `${list[j].name} ${String(s.value)}`).join(", ");
    return {
      id,
      runId,
      label,
      settings: [...combo, { key: "edgecall:benchmark.repeats", value: experiment.repeats }, { key: "edgecall:benchmark.runId", value: runId }],
    };
  });
}
