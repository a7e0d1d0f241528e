import { FlowCell, flowCellName, flowCellRate } from "../../domain/flow-cell";
import type { KeepUp, KeepUpMethod } from "../../domain/keep-up";
import type { LiveEntry } from "./collect";

const METHOD_TEXT: Record<KeepUpMethod, string> = {
  "scaling-curve": "from the measured scaling curve",
  linear: "assuming n boards are n times as fast (no scaling curve measured)",
  "linear-beyond-curve": "extrapolated linearly past the measured scaling curve",
};

export function methodText(method: KeepUpMethod): string {
  return METHOD_TEXT[method];
}

export function megaSamples(rate: number): string {
  return `${(rate / 1e6).toFixed(3)} M samples/s`;
}

/** Who: model on board kind, with the power mode when known, the precision when not fp32 and the engine when not torch. */
export function groupName(k: { model: string; boardKind: string; powerMode: string | null; precision?: string; engine?: string }): string {
  const engine = k.engine === undefined || k.engine === "torch" ? "" : ` on ${k.engine}`;
  const precision = (k.precision === undefined || k.precision === "fp32" ? "" : ` in ${k.precision}`) + engine;
  return `${k.model}${precision} on ${k.boardKind}${k.powerMode === null ? "" : ` (power mode ${k.powerMode})`}`;
}

/** The report's first sentence: whether the best model keeps up with the flow cell, and if not how many boards would. */
export function headline(rows: readonly KeepUp[], cell: FlowCell): string {
  const target = `a ${flowCellName(cell)} flow cell (${cell.channels} channels x ${cell.sampleRateHz} Hz = ${megaSamples(flowCellRate(cell))})`;
  if (rows.length === 0) return `No measured run to compare with ${target}.`;
  const best = rows.reduce((a, b) => (b.factor > a.factor ? b : a));
  const factor = `keep-up factor ${best.factor.toFixed(3)}`;
  if (best.factor >= 1) return `${groupName(best)} keeps up with ${target} on one board (${factor}).`;
  if (best.boardsNeeded === null) return `No model processed any samples, so none keeps up with ${target}.`;
  return `No model keeps up with ${target} on one board; the fastest, ${groupName(best)} (${factor}), needs ${best.boardsNeeded} boards, ${methodText(best.method)}.`;
}

/** The live benchmark's verdicts in one sentence, beside the batch keep-up factor; empty without one. */
export function liveHeadline(lives: readonly LiveEntry[]): string {
  const parts = lives.map((l) => {
    const verdicts = l.rates.map((r) => (r.verdict === "keeps up" ? `keeps up at ${r.speed}x` : `falls behind at ${r.speed}x (${r.behindMinutesPerHour} min per hour)`));
    return `${l.model}${l.engine === "torch" ? "" : ` on ${l.engine}`} ${verdicts.join(", ")}`;
  });
  return parts.length === 0 ? "" : `Live, at multiples of the flow cell rate: ${parts.join("; ")}.`;
}
