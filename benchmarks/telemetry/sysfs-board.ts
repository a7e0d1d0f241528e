import * as fs from "fs";
import * as path from "path";
import { RailReader, findRails, sampleRails } from "./ina3221";
import { TelemetrySample } from "./sample";

/**
 * What a board shows in plain files, for containers where tegrastats does not run: the INA3221
 * rails, the GPU's load and clock (its devfreq device), thermal zones, and memory from /proc/meminfo.
 */
export interface BoardReaders {
  rails: RailReader[];
  gpu?: { loadFile: string; freqFile?: string };
  thermal: Array<{ sensor: string; tempFile: string }>;
  meminfo?: string;
}

/** devfreq names of the integrated GPU: `57000000.gpu` (Nano), `17000000.gv11b` (Xavier), `17000000.ga10b` (Orin). */
const GPU_DEVFREQ = /(^|\.)(gpu|gm20b|gp10b|gv11b|ga10b)$/;

function entries(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function findGpu(sysRoot: string): BoardReaders["gpu"] {
  const devfreq = path.join(sysRoot, "class/devfreq");
  for (const name of entries(devfreq).filter((n) => GPU_DEVFREQ.test(n))) {
    const loadFile = path.join(devfreq, name, "device/load");
    if (!fs.existsSync(loadFile)) continue;
    const freqFile = path.join(devfreq, name, "cur_freq");
    return { loadFile, freqFile: fs.existsSync(freqFile) ? freqFile : undefined };
  }
  return undefined;
}

/** Thermal zones under the names tegrastats uses: `GPU-therm` is `GPU`, `CPU-therm` is `CPU`. */
function findThermal(sysRoot: string): BoardReaders["thermal"] {
  const thermal = path.join(sysRoot, "class/thermal");
  return entries(thermal)
    .filter((n) => n.startsWith("thermal_zone"))
    .flatMap((zone) => {
      const typeFile = path.join(thermal, zone, "type");
      const tempFile = path.join(thermal, zone, "temp");
      if (!fs.existsSync(typeFile) || !fs.existsSync(tempFile)) return [];
      return [{ sensor: fs.readFileSync(typeFile, "utf8").trim().replace(/[-_]therm$/i, ""), tempFile }];
    });
}

export function findBoardReaders(sysRoot = "/sys", procRoot = "/proc"): BoardReaders {
  const meminfo = path.join(procRoot, "meminfo");
  return { rails: findRails(sysRoot), gpu: findGpu(sysRoot), thermal: findThermal(sysRoot), meminfo: fs.existsSync(meminfo) ? meminfo : undefined };
}

function readNumber(file: string): number {
  const value = Number(fs.readFileSync(file, "utf8").trim());
  if (!Number.isFinite(value)) throw new Error(`${file}: not a number`);
  return value;
}

/** MemTotal and MemAvailable in MB; used is what the kernel cannot hand out without swapping. */
function memory(meminfo: string): { ram_used_mb: number; ram_total_mb: number } | undefined {
  const text = fs.readFileSync(meminfo, "utf8");
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB$`, "m").exec(text)?.[1]);
  const total = kb("MemTotal");
  const available = kb("MemAvailable");
  if (!Number.isFinite(total) || !Number.isFinite(available)) return undefined;
  return { ram_used_mb: Math.round((total - available) / 1024), ram_total_mb: Math.round(total / 1024) };
}

/**
 * One sample of everything the readers found, timed now. GPU load is per mille in sysfs and its
 * clock in Hz; a zone reading -256 °C or below is a powered-off sensor and is left out, as in tegrastats.
 */
export function sampleBoard(readers: BoardReaders, now = new Date()): TelemetrySample {
  const sample = sampleRails(readers.rails, now);
  if (readers.gpu !== undefined) {
    sample.gpu_load_pct = readNumber(readers.gpu.loadFile) / 10;
    if (readers.gpu.freqFile !== undefined) sample.gpu_freq_mhz = readNumber(readers.gpu.freqFile) / 1e6;
  }
  for (const zone of readers.thermal) {
    const celsius = readNumber(zone.tempFile) / 1000;
    if (celsius > -256) sample.temperatures[zone.sensor] = celsius;
  }
  const ram = readers.meminfo === undefined ? undefined : memory(readers.meminfo);
  if (ram !== undefined) Object.assign(sample, ram);
  return sample;
}
