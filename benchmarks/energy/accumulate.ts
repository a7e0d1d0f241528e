import type { Energy } from "../../domain/summary";
import { Gap, findGapsInTimes } from "./gaps";
import { INPUT_RAILS, WindowEnergy } from "./integrate";
import type { EnergyOptions } from "./report";
import { WindowIntegral } from "./window-integral";

export const SUM_OF_RAILS = "sum of all rails";

/** Where a log's set of rails changed: its time (epoch ms), and the rails before and after. */
export interface RailChange {
  at: number;
  from: string;
  to: string;
}

/** The one warning line about a change of rails, for the energy command and summarize alike. */
export function railChangeWarning(file: string, change: RailChange, inputRail: string): string {
  return `warning: ${file}: its rails change at ${new Date(change.at).toISOString()} (from ${change.from} to ${change.to}): a log of another board appended? Where ${inputRail}, the input rail, is missing, the span counts as a gap`;
}

/** A growing column of doubles: the times of a candidate input rail, for the gap check. */
class Times {
  private values = new Float64Array(4096);
  length = 0;

  push(t: number): void {
    if (this.length === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = t;
  }

  all(): Float64Array {
    return this.values.subarray(0, this.length);
  }
}

interface RailState {
  window: WindowIntegral;
  baseline: WindowIntegral | undefined;
  /** Kept only for rails that may turn out to be the input rail (its gaps are reported). */
  times: Times | undefined;
}

/**
 * The energy report built one sample at a time, in time order: per rail, running integrals of
 * the window and of the baseline window. Which rail is the input rail is known only at the end
 * (a log may name it late), so each candidate keeps its sample times (8 bytes a sample) for the
 * gap check; everything else is constant in the length of the log.
 */
export class EnergyAccumulator {
  private readonly rails = new Map<string, RailState>();
  private lastRailSet: string | undefined;
  /** The first sample whose set of rails differs from the one before it (another board's log appended). */
  private change: RailChange | undefined;

  constructor(
    private readonly from: number,
    private readonly to: number,
    private readonly options: EnergyOptions = {},
  ) {}

  /** One sample: its time (epoch ms) and its rails in milliwatts. */
  add(t: number, rails: Readonly<Record<string, { mw: number }>>): void {
    const railSet = Object.keys(rails).sort().join(", ");
    if (this.change === undefined && this.lastRailSet !== undefined && railSet !== this.lastRailSet) {
      this.change = { at: t, from: this.lastRailSet, to: railSet };
    }
    this.lastRailSet = railSet;
    let sum = 0;
    let any = false;
    for (const name in rails) {
      const mw = rails[name].mw;
      this.point(name, t, mw / 1000);
      sum += mw;
      any = true;
    }
    if (any) this.point(SUM_OF_RAILS, t, sum / 1000);
  }

  report(): Energy {
    const names = [...this.rails.keys()].filter((name) => name !== SUM_OF_RAILS);
    const rail = INPUT_RAILS.find((name) => this.rails.has(name)) ?? SUM_OF_RAILS;
    const input = this.rails.get(rail);
    const total = (input?.window ?? new WindowIntegral(this.from, this.to)).result();
    const { bases, reads, baseline } = this.options;
    const perMegabase = (joules: number): number | null => (bases === undefined ? null : joules / (bases / 1e6));
    const perRail: Record<string, WindowEnergy & { joules_per_megabase: number | null }> = {};
    for (const name of names.sort()) {
      const window = this.rails.get(name)?.window;
      if (window === undefined || !window.covers()) continue;
      const energy = window.result();
      perRail[name] = { ...energy, joules_per_megabase: perMegabase(energy.joules) };
    }
    let aboveIdle: Energy["above_idle"] = null;
    if (baseline !== undefined) {
      const idle = (input?.baseline ?? new WindowIntegral(baseline[0], baseline[1])).result();
      const joules = total.joules - idle.mean_watts * total.seconds;
      aboveIdle = { joules, mean_watts: total.mean_watts - idle.mean_watts, joules_per_megabase: perMegabase(joules) };
    }
    return {
      rail,
      joules: total.joules,
      mean_watts: total.mean_watts,
      seconds: total.seconds,
      gaps: this.gaps(input?.times?.all() ?? new Float64Array(0)),
      joules_per_read: reads === undefined ? null : total.joules / reads,
      joules_per_megabase: perMegabase(total.joules),
      above_idle: aboveIdle,
      per_rail_mean_watts: Object.fromEntries(Object.entries(perRail).map(([name, e]) => [name, e.mean_watts])),
      per_rail: perRail,
    };
  }

  /** Where the rails changed mid-log, or undefined: the energy command and summarize warn of it. */
  railChange(): RailChange | undefined {
    return this.change;
  }

  /**
   * The input rail's gaps: between its samples, further apart than usual (findGapsInTimes), and
   * wherever the log goes on without it (its rails changed), however short: no power of the input
   * rail was measured there, and the trapezoid draws a line across.
   */
  private gaps(inputTimes: Float64Array): Gap[] {
    const all = this.rails.get(SUM_OF_RAILS)?.times?.all() ?? new Float64Array(0);
    const found = findGapsInTimes(inputTimes, this.from, this.to);
    let j = 0;
    let before: number | undefined;
    let missingSince: number | undefined;
    const missing: Gap[] = [];
    const close = (after: number | undefined, last: number) => {
      const from = before ?? (missingSince as number);
      const to = after ?? last;
      if (to > from && from < this.to && to > this.from) missing.push({ from: new Date(from).toISOString(), to: new Date(to).toISOString(), seconds: (to - from) / 1000 });
    };
    for (let i = 0; i < all.length; i++) {
      if (j < inputTimes.length && inputTimes[j] === all[i]) {
        if (missingSince !== undefined) close(all[i], all[i]);
        missingSince = undefined;
        before = all[i];
        j++;
      } else if (missingSince === undefined) {
        missingSince = all[i];
      }
    }
    if (missingSince !== undefined && all.length > 0) close(undefined, all[all.length - 1]);
    const known = new Set(found.map((g) => g.from));
    return [...found, ...missing.filter((g) => !known.has(g.from))].sort((a, b) => a.from.localeCompare(b.from));
  }

  private point(name: string, t: number, watts: number): void {
    let state = this.rails.get(name);
    if (state === undefined) {
      const baseline = this.options.baseline;
      state = {
        window: new WindowIntegral(this.from, this.to),
        baseline: baseline === undefined ? undefined : new WindowIntegral(baseline[0], baseline[1]),
        times: name === SUM_OF_RAILS || INPUT_RAILS.includes(name) ? new Times() : undefined,
      };
      this.rails.set(name, state);
    }
    const point = { t, watts };
    state.window.add(point);
    state.baseline?.add(point);
    state.times?.push(t);
  }
}
