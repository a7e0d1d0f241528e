import { CliError } from "./cli-error";

/** Offset of an IANA zone from UTC at an instant, in milliseconds. */
function zoneOffsetMs(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(instant));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** Checks a zone name before any line is read, so a typo is one clear error. */
export function checkZone(zone: string): void {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
  } catch {
    throw new CliError(`--tz ${zone} is not a time zone name (use an IANA name such as Europe/Berlin, or UTC)`);
  }
}

/** A wall-clock time in a zone (UTC when none) as milliseconds since the epoch. */
export function zonedToEpoch(year: number, month: number, day: number, hour: number, minute: number, second: number, zone = "UTC"): number {
  const naive = Date.UTC(year, month - 1, day, hour, minute, second);
  if (zone === "UTC") return naive;
  const first = naive - zoneOffsetMs(naive, zone);
  // A second pass settles times next to a daylight-saving change.
  return naive - zoneOffsetMs(first, zone);
}
