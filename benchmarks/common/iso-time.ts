import { CliError } from "./cli-error";
import { zonedToEpoch } from "./zone";

/** The one form every time option and time field accepts, as error messages spell it out. */
export const ISO_FORM = "ISO 8601 YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM], such as 2026-11-24T10:00:00Z";

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?$/;
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Why the fields cannot be a real time, or undefined when they can (Date would roll them over silently). */
function outOfRange(year: number, month: number, day: number, hour: number, minute: number, second: number): string | undefined {
  if (month < 1 || month > 12) return `there is no month ${month}`;
  if (day < 1 || day > daysInMonth(year, month)) return `${MONTHS[month - 1]} ${year} has no day ${day}`;
  if (hour > 23) return `hour ${hour} is past 23`;
  if (minute > 59) return `minute ${minute} is past 59`;
  if (second > 59) return `second ${second} is past 59`;
  return undefined;
}

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
