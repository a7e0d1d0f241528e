/** A run's position in the trade-off: faster, more accurate and less energy per base are better. */
export interface TradeOffPoint {
  label: string;
  basesPerS: number;
  identity: number;
  joulesPerMegabase: number | null;
}

function dominates(a: TradeOffPoint, b: TradeOffPoint): boolean {
  const energyA = a.joulesPerMegabase ?? Infinity;
  const energyB = b.joulesPerMegabase ?? Infinity;
  const noWorse = a.basesPerS >= b.basesPerS && a.identity >= b.identity && energyA <= energyB;
  const better = a.basesPerS > b.basesPerS || a.identity > b.identity || energyA < energyB;
  return noWorse && better;
}

/** The runs no other run beats on all three of bases/s, identity and J/Mbase at once. */
export function paretoFrontier(points: readonly TradeOffPoint[]): TradeOffPoint[] {
  return points.filter((p) => !points.some((q) => q !== p && dominates(q, p)));
}
