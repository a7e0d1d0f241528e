import * as fs from "fs";
import * as path from "path";
import { TelemetrySample } from "./sample";

/** One INA3221 channel: its rail name and how to read its power in milliwatts. */
export interface RailReader {
  name: string;
  readMw(): number;
}

function list(dir: string): string[] {
  try {
    return fs.readdirSync(dir).map((entry) => path.join(dir, entry));
  } catch {
    return [];
  }
}

function readNumber(file: string): number {
  return Number(fs.readFileSync(file, "utf8").trim());
}

/**
 * The INA3221 power rails under a sysfs root: JetPack 4's `ina3221x` IIO driver (`rail_name_N`,
 * `in_power{N}_input` in mW) and JetPack 5/6's `ina3221` hwmon driver (`in{N}_label`, `in{N}_input`
 * in mV, `curr{N}_input` in mA).
 */
export function findRails(sysfsRoot = "/sys"): RailReader[] {
  const rails: RailReader[] = [];
  for (const device of list(path.join(sysfsRoot, "bus/i2c/drivers/ina3221x"))) {
    for (const iio of list(device).filter((d) => path.basename(d).startsWith("iio:device"))) {
      for (const nameFile of list(iio).filter((f) => /rail_name_\d+$/.test(f))) {
        const channel = nameFile.replace(/.*rail_name_/, "");
        const power = path.join(iio, `in_power${channel}_input`);
        if (fs.existsSync(power)) rails.push({ name: fs.readFileSync(nameFile, "utf8").trim(), readMw: () => readNumber(power) });
      }
    }
  }
  for (const device of list(path.join(sysfsRoot, "bus/i2c/drivers/ina3221"))) {
    for (const hwmon of list(path.join(device, "hwmon"))) {
      for (const label of list(hwmon).filter((f) => /in\d+_label$/.test(f))) {
        const channel = path.basename(label).replace(/^in(\d+)_label$/, "$1");
        const volts = path.join(hwmon, `in${channel}_input`);
        const amps = path.join(hwmon, `curr${channel}_input`);
        if (fs.existsSync(volts) && fs.existsSync(amps)) {
          rails.push({ name: fs.readFileSync(label, "utf8").trim(), readMw: () => (readNumber(volts) * readNumber(amps)) / 1000 });
        }
      }
    }
  }
  return rails;
}

/** One sample of every rail, timed now. */
export function sampleRails(rails: readonly RailReader[], now = new Date()): TelemetrySample {
  return { time: now.toISOString(), cpu: [], temperatures: {}, rails: Object.fromEntries(rails.map((r) => [r.name, { mw: r.readMw() }])) };
}
