import { CliError } from "./cli-error";
import { zonedToEpoch } from "./zone";
import { ISO, ISO_FORM, outOfRange } from "../../domain/iso-time";

export { ISO_FORM } from "../../domain/iso-time";

/**
 * A time from the command line or a run's files as milliseconds since the epoch. Without a zone
 * suffix it is read in `zone` (UTC by default). Strict: a day, hour, minute or second that does
 * not exist is an error naming `label` and the value, where `Date` would roll it into the next
 * month or hour and give a plausible but wrong window.
 */
export function parseIsoTime(value: string, label: string, zone = "UTC"): number {
  const match = ISO.exec(value);
  if (match === null) throw new CliError(`${label} ${value} is not a time: expected ${ISO_FORM}`);
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const fractionMs = match[7] === undefined ? 0 : Math.round(Number(match[7]) * 1000);
  const problem = outOfRange(year, month, day, hour, minute, second);
  if (problem !== undefined) throw new CliError(`${label} ${value} is not a valid time (${problem}): expected ${ISO_FORM}`);
  if (match[8] === "Z") return Date.UTC(year, month - 1, day, hour, minute, second) + fractionMs;
  if (match[9] !== undefined) {
    const [offsetHours, offsetMinutes] = [Number(match[10]), Number(match[11])];
    if (offsetHours > 23 || offsetMinutes > 59) throw new CliError(`${label} ${value} is not a valid time (no such zone offset): expected ${ISO_FORM}`);
    const offsetMs = (match[9] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
    return Date.UTC(year, month - 1, day, hour, minute, second) - offsetMs + fractionMs;
  }
  return zonedToEpoch(year, month, day, hour, minute, second, zone) + fractionMs;
}

/** Whether a time field holds a real time in the strict form (for schemas, which report their own message). */
export function isIsoTime(value: string): boolean {
  try {
    parseIsoTime(value, "");
    return true;
  } catch {
    return false;
  }
}
