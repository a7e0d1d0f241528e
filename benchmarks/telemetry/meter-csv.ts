import { CliError } from "../common/cli-error";
import { parseIsoTime } from "../common/iso-time";
import { TelemetrySample } from "./sample";

/**
 * An external power meter's CSV (an INA219 logger, a USB meter): a header naming a time column
 * (`time` or `timestamp`, ISO or epoch seconds) and either `watts` (or `power_w`, `mw`) or both
 * `volts` and `amps` (or `voltage`, `current`). Each row becomes a sample with the rail `EXTERNAL`.
 */
export function parseMeterCsv(text: string, zone: string): TelemetrySample[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "");
  if (lines.length < 2) throw new CliError("the meter log has no data rows");
  const header = lines[0].split(/[,;\t]/).map((h) => h.trim().toLowerCase());
  const col = (...names: string[]): number => header.findIndex((h) => names.includes(h));
  const time = col("time", "timestamp");
  const watts = col("watts", "power_w", "w");
  const milliwatts = col("mw", "power_mw");
  const volts = col("volts", "voltage", "v");
  const amps = col("amps", "current", "a");
  if (time < 0) throw new CliError(`the meter log's header (${lines[0]}) has no time or timestamp column`);
  if (watts < 0 && milliwatts < 0 && (volts < 0 || amps < 0)) {
    throw new CliError(`the meter log's header (${lines[0]}) needs watts, or volts and amps`);
  }
  return lines.slice(1).map((line, i) => {
    const cells = line.split(/[,;\t]/).map((c) => c.trim());
    const number = (index: number): number => {
      const value = Number(cells[index]);
      if (!Number.isFinite(value)) throw new CliError(`meter log line ${i + 2}: ${JSON.stringify(cells[index])} is not a number`);
      return value;
    };
    const stamp = cells[time];
    const epoch = /^\d+(\.\d+)?$/.test(stamp) ? Number(stamp) * 1000 : parseIsoTime(stamp, `meter log line ${i + 2} time`, zone);
    const mw = watts >= 0 ? number(watts) * 1000 : milliwatts >= 0 ? number(milliwatts) : number(volts) * number(amps) * 1000;
    return { time: new Date(epoch).toISOString(), cpu: [], temperatures: {}, rails: { EXTERNAL: { mw } } };
  });
}
