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

  check(time: string, t: number, line: number): void {
    const previous = this.previous;
    this.previous = { time, t, line };
    if (previous === undefined || t > previous.t) return;
    const how = t === previous.t ? "repeats" : "goes back from";
    throw new CliError(
      `${this.file}:${line}: time ${time} ${how} line ${previous.line}'s ${previous.time} ` +
        "(times must increase; was a restarted tegrastats appended to the same file?)",
    );
  }
}
