import type { Engine, Precision } from "./precision";
import type { ModelAggregate } from "./aggregate";
import { FlowCell, flowCellRate } from "./flow-cell";

/** A point of a measured scaling curve (the `scaling` stack output's `curve`). */
export interface SpeedupPoint {
  boards: number;
  speedup: number;
}

/**
 * How the board count was found: `scaling-curve` from the measured speedup of that model,
 * `linear` as ceil(1 / factor) assuming n boards are n times as fast, `linear-beyond-curve` when
 * the measured curve ends before keeping up and the rest is extrapolated linearly from its last point.
 */
export type KeepUpMethod = "scaling-curve" | "linear" | "linear-beyond-curve";

export interface KeepUp {
  model: string;
  boardKind: string;
  powerMode: string | null;
  engine: Engine;
  precision: Precision;
  /** Median samples/s over the flow cell's samples/s: 1 or more keeps up on one board. */
  factor: number;
  /** Boards needed to keep up; null when the model processes no samples at all. */
  boardsNeeded: number | null;
  method: KeepUpMethod;
}

function fromCurve(factor: number, curve: readonly SpeedupPoint[]): { boards: number; method: KeepUpMethod } {
  const sorted = [...curve].sort((a, b) => a.boards - b.boards);
  const enough = sorted.find((p) => factor * p.speedup >= 1);
  if (enough !== undefined) return { boards: enough.boards, method: "scaling-curve" };
  // Past the curve each extra board is assumed to add what one board adds on average at its end.
  const last = sorted[sorted.length - 1];
  const perBoard = (factor * last.speedup) / last.boards;
  return { boards: Math.max(last.boards + 1, Math.ceil(1 / perBoard)), method: "linear-beyond-curve" };
}

/**
 * The keep-up factor of every aggregate against the flow cell. `curves` maps a model to its measured
 * scaling curve; a model without one is estimated linearly.
 */
export function keepUp(aggregates: readonly ModelAggregate[], cell: FlowCell, curves: Readonly<Record<string, readonly SpeedupPoint[]>> = {}): KeepUp[] {
  const rate = flowCellRate(cell);
  return aggregates.map((a) => {
    const factor = a.samplesPerS.median / rate;
    const base = { model: a.model, boardKind: a.boardKind, powerMode: a.powerMode, engine: a.engine, precision: a.precision, factor };
    if (factor <= 0) return { ...base, boardsNeeded: null, method: "linear" };
    const curve = curves[a.model];
    if (curve !== undefined && curve.length > 0) {
      const found = fromCurve(factor, curve);
      return { ...base, boardsNeeded: found.boards, method: found.method };
    }
    return { ...base, boardsNeeded: Math.ceil(1 / factor), method: "linear" };
  });
}
