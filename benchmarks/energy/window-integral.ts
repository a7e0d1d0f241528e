import { CliError } from "../common/cli-error";
import type { PowerPoint, WindowEnergy } from "./integrate";

const iso = (t: number): string => new Date(t).toISOString();

/** Refuses a window that does not end after it starts, before any sample is read. */
export function checkWindow(from: number, to: number): void {
  if (!(to > from)) throw new CliError(`the window must end after it starts (${iso(from)} .. ${iso(to)})`);
}

/**
 * The trapezoid rule over [from, to] fed one point at a time, in time order, so that a log of any
 * length integrates in constant memory. Each pair of consecutive points adds the part of its
 * segment inside the window, with the power at a window edge interpolated along that segment:
 * the same sum as trapezoids over the points inside the window plus the two interpolated edges.
 */
export class WindowIntegral {
  private joules = 0;
  private count = 0;
  private first = 0;
  private last: PowerPoint | undefined;

  constructor(
    readonly from: number,
    readonly to: number,
  ) {}

  add(point: PowerPoint): void {
    const before = this.last;
    if (before === undefined) this.first = point.t;
    else if (point.t > before.t) this.addSegment(before, point);
    this.last = point;
    this.count += 1;
  }

  /** Whether the points span the window, so that it can be integrated without guessing. */
  covers(): boolean {
    return this.count >= 2 && this.last !== undefined && this.first <= this.from && this.last.t >= this.to;
  }

  /** The window's energy; the window must lie within the points: energy outside them is unknown, not zero. */
  result(): WindowEnergy {
    checkWindow(this.from, this.to);
    if (this.count < 2 || this.last === undefined) throw new CliError(`need at least two power samples, found ${this.count}`);
    if (!this.covers()) {
      throw new CliError(
        `the window ${iso(this.from)} .. ${iso(this.to)} is not inside the samples (${iso(this.first)} .. ${iso(this.last.t)})`,
      );
    }
    const seconds = (this.to - this.from) / 1000;
    return { joules: this.joules, mean_watts: this.joules / seconds, seconds };
  }

  private addSegment(a: PowerPoint, b: PowerPoint): void {
    const start = Math.max(a.t, this.from);
    const end = Math.min(b.t, this.to);
    if (!(end > start)) return;
    // A sample exactly on an edge is taken as it is, not recomputed by interpolation.
    const at = (t: number): number =>
      t === a.t ? a.watts : t === b.t ? b.watts : a.watts + ((b.watts - a.watts) * (t - a.t)) / (b.t - a.t);
    this.joules += ((at(start) + at(end)) / 2) * ((end - start) / 1000);
  }
}
