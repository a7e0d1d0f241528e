import { CliError } from "../common/cli-error";
import { sampleTimeMs } from "./sample";
import type { Telemetry } from "./read-samples";

/**
 * Refuses a log whose times repeat or go backwards, naming the file and the first such line. A
 * tegrastats restarted onto the same file appends a second timeline; sorting the two together
 * would interleave them and integrate power that was never drawn, so it is an error, not a guess.
 */
export function checkTimeOrder(file: string, telemetry: Pick<Telemetry, "samples" | "lines">): void {
  const order = new TimeOrder(file);
  telemetry.samples.forEach((sample, i) => order.check(sample.time, sampleTimeMs(sample), telemetry.lines[i]));
}

/** checkTimeOrder one sample at a time, for logs read as a stream. */
export class TimeOrder {
  private previous: { time: string; t: number; line: number } | undefined;

  constructor(private readonly file: string) {}

  /** Refuses (energy, summarize) a sample whose time does not follow the one before. */
  check(time: string, t: number, line: number): void {
    const problem = this.problem(time, t, line);
    if (problem !== undefined) throw new CliError(problem);
  }

  /**
   * Why the sample's time does not follow the one before, naming the file and both lines, or
   * undefined; `telemetry parse`, which only converts, prints it as a warning instead.
   */
  problem(time: string, t: number, line: number): string | undefined {
    const previous = this.previous;
    this.previous = { time, t, line };
    if (previous === undefined || t > previous.t) return undefined;
    const how = t === previous.t ? "repeats" : "goes back from";
    return `${this.file}:${line}: time ${time} ${how} line ${previous.line}'s ${previous.time} (times must increase; was a restarted tegrastats appended to the same file?)`;
  }
}
