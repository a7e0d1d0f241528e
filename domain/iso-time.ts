/** The one form every time option and time field accepts, as error messages spell it out. */
export const ISO_FORM = "ISO 8601 YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM], such as 2026-11-24T10:00:00Z";

/** Year, month, day, hour, minute, second, fraction, `Z`, offset sign, offset hours, offset minutes. */
export const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:(Z)|([+-])(\d{2}):?(\d{2}))?$/;
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Why the fields cannot be a real time, or undefined when they can (Date would roll them over silently). */
export function outOfRange(year: number, month: number, day: number, hour: number, minute: number, second: number): string | undefined {
  if (month < 1 || month > 12) return `there is no month ${month}`;
  if (day < 1 || day > daysInMonth(year, month)) return `${MONTHS[month - 1]} ${year} has no day ${day}`;
  if (hour > 23) return `hour ${hour} is past 23`;
  if (minute > 59) return `minute ${minute} is past 59`;
  if (second > 59) return `second ${second} is past 59`;
  return undefined;
}

/**
 * Why `value` is not a time a summary may hold (the strict form with its zone, a day, hour and
 * offset that exist), or undefined when it is one.
 */
export function zonedTimeProblem(value: string): string | undefined {
  const match = ISO.exec(value);
  if (match === null) return `expected ${ISO_FORM}`;
  if (match[8] === undefined && match[9] === undefined) return `has no zone (Z or ±HH:MM): expected ${ISO_FORM}`;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const problem = outOfRange(year, month, day, hour, minute, second);
  if (problem !== undefined) return `is not a valid time (${problem})`;
  if (match[9] !== undefined && (Number(match[10]) > 23 || Number(match[11]) > 59)) return "is not a valid time (no such zone offset)";
  return undefined;
}
