import { CliError } from "../common/cli-error";
import { sampleTimeMs } from "./sample";
import type { Telemetry } from "./read-samples";

/**
 * Refuses a log whose times repeat or go backwards, naming the file and the first such line. A
 * tegrastats restarted onto the same file appends a second timeline; sorting the two together
 * would interleave them and integrate power that was never drawn, so it is an error, not a guess.
 */
export function checkTimeOrder(file: string, telemetry: Pick<Telemetry, "samples" | "lines">): void {
  const { samples, lines } = telemetry;
  for (let i = 1; i < samples.length; i++) {
    const [previous, current] = [sampleTimeMs(samples[i - 1]), sampleTimeMs(samples[i])];
    if (current > previous) continue;
    const how = current === previous ? "repeats" : "goes back from";
    throw new CliError(
      `${file}:${lines[i]}: time ${samples[i].time} ${how} line ${lines[i - 1]}'s ${samples[i - 1].time} ` +
        "(times must increase; was a restarted tegrastats appended to the same file?)",
    );
  }
}
