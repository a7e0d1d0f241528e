/**
 * One colour and one marker shape per model, the same in every chart: models are numbered in name
 * order over the whole report, so a model keeps its colour and shape whichever charts it appears in.
 */

/** Okabe-Ito colours, distinguishable with the common colour-vision deficiencies. */
export const COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"] as const;
/** Vega-Lite symbol shapes that stay distinct at small sizes. */
export const SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "triangle-right", "triangle-left"] as const;

export interface ModelStyle {
  colour: string;
  shape: string;
}

export interface Palette {
  /** Every model of the report, in name order. */
  models: readonly string[];
  style(model: string): ModelStyle;
}

/**
 * The palette of a report's models. Past eight models the shape cycle is offset by one per round of
 * colours, so no two of the first 64 models share both colour and shape.
 */
export function palette(models: Iterable<string>): Palette {
  const sorted = [...new Set(models)].sort();
  const index = new Map(sorted.map((m, i) => [m, i]));
  return {
    models: sorted,
    style(model: string): ModelStyle {
      const i = index.get(model) ?? sorted.length;
      return { colour: COLOURS[i % COLOURS.length], shape: SHAPES[(i + Math.floor(i / COLOURS.length)) % SHAPES.length] };
    },
  };
}

/** Colour and shape scales over the models a chart shows, in palette order; one merged legend. */
export function modelScales(p: Palette, shown: Iterable<string>): { domain: string[]; colours: string[]; shapes: string[] } {
  const present = new Set(shown);
  const domain = p.models.filter((m) => present.has(m));
  return { domain, colours: domain.map((m) => p.style(m).colour), shapes: domain.map((m) => p.style(m).shape) };
}
