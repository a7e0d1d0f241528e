import type { ChartInfo } from "./figure";
import type { LiveEntry } from "../collect";
import { CONFIG, HEIGHT, WIDTH, quantitative } from "./encoding";
import type { Palette } from "./palette";
import type { TopLevelSpec } from "./vega-lite-types";

export const LIVE: ChartInfo = {
  slug: "live",
  title: "Live: backlog over time",
  caption:
    "Run files complete but not yet called while the sequencer stand-in wrote at each speed (a multiple of the flow cell's rate), per model. A board that keeps up stays at one file at most; one that falls behind climbs for as long as the sequencer writes.",
};

/** The series name of one model at one speed. */
export function liveSeriesName(model: string, speed: number): string {
  return `${model} at ${speed}x`;
}

/** A line per model and speed of files waiting against seconds; null without a live benchmark. */
export function liveSpec(lives: readonly LiveEntry[], p: Palette): TopLevelSpec | null {
  const values = lives.flatMap((l) => l.rates.flatMap((r) => r.backlog.map(([seconds, files]) => ({ series: liveSeriesName(l.model, r.speed), seconds, files }))));
  if (values.length === 0) return null;
  const series = lives.flatMap((l) => l.rates.map((r) => ({ name: liveSeriesName(l.model, r.speed), model: l.model })));
  const colours = series.map((s) => p.style(s.model).colour);
  const names = series.map((s) => s.name);
  const legend = { title: "model and speed", orient: "right" as const };
  return {
    width: WIDTH,
    height: HEIGHT,
    config: CONFIG,
    data: { values },
    mark: { type: "line", interpolate: "step-after" },
    encoding: {
      x: quantitative("seconds", "seconds since the sequencer started", true),
      y: quantitative("files", "files waiting", true),
      // Colour by model, dashes by speed: both on the series, with one legend, so they merge into one.
      color: { field: "series", type: "nominal", scale: { domain: names, range: colours }, legend },
      strokeDash: { field: "series", type: "nominal", scale: { domain: names }, legend },
    },
  };
}
