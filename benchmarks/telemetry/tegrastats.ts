import { CliError } from "../common/cli-error";
import { zonedToEpoch } from "../common/zone";
import { TelemetrySample } from "./sample";

/** How to time lines: their own `MM-DD-YYYY HH:MM:SS` prefix, or a start and an interval. */
export interface Timing {
  zone: string;
  start?: number;
  intervalMs?: number;
}

export interface ParseResult {
  samples: TelemetrySample[];
  /** Non-empty lines that held no tegrastats fields, by line number. */
  unparsed: number[];
  /** The line number of each sample, so a problem found later can name its line. */
  lines: number[];
}

const PREFIX = /^(\d{2})-(\d{2})-(\d{4}) (\d{2}):(\d{2}):(\d{2})\s+/;
// A rail is NAME current/average, in mW with or without the unit (JetPack 4 prints bare numbers).
const RAIL = /(?:^|\s)([A-Z][A-Z0-9_]*) (\d+)(?:mW)?\/(\d+)(?:mW)?(?=\s|$)/g;
const TEMPERATURE = /(?:^|\s)([A-Za-z][A-Za-z0-9_]*)@(-?\d+(?:\.\d+)?)C(?=\s|$)/g;

/** The fields of one tegrastats line (without its time), or undefined if it holds none. */
export function parseFields(line: string): Omit<TelemetrySample, "time"> | undefined {
  const sample: Omit<TelemetrySample, "time"> = { cpu: [], temperatures: {}, rails: {} };
  let found = false;
  const ram = /\bRAM (\d+)\/(\d+)MB/.exec(line);
  if (ram) {
    sample.ram_used_mb = +ram[1];
    sample.ram_total_mb = +ram[2];
    found = true;
  }
  const swap = /\bSWAP (\d+)\/(\d+)MB/.exec(line);
  if (swap) sample.swap_used_mb = +swap[1];
  // Per-core clocks (`CPU [12%@1479,off]`) since JetPack 4; older L4T printed one shared clock after
  // the bracket (`CPU [12%,5%]@1479`), which then applies to every online core.
  const cpu = /\bCPU \[([^\]]*)\](?:@(\d+))?/.exec(line);
  if (cpu) {
    const shared = cpu[2] === undefined ? null : +cpu[2];
    sample.cpu = cpu[1].split(",").map((core) => {
      const m = /^(\d+)%(?:@(\d+))?$/.exec(core.trim());
      return m ? { load_pct: +m[1], freq_mhz: m[2] === undefined ? shared : +m[2] } : { load_pct: null, freq_mhz: null };
    });
    found = true;
  }
  const emc = /\bEMC_FREQ (\d+)%(?:@(\d+))?/.exec(line);
  if (emc) {
    sample.emc_load_pct = +emc[1];
    if (emc[2] !== undefined) sample.emc_freq_mhz = +emc[2];
  }
  const gpu = /\bGR3D_FREQ (\d+)%(?:@\[?(\d+)[^\s]*)?/.exec(line);
  if (gpu) {
    sample.gpu_load_pct = +gpu[1];
    if (gpu[2] !== undefined) sample.gpu_freq_mhz = +gpu[2];
    found = true;
  }
  for (const [, name, celsius] of line.matchAll(TEMPERATURE)) sample.temperatures[name] = +celsius;
  for (const [, name, current, average] of line.matchAll(RAIL)) {
    if (name === "RAM" || name === "SWAP") continue;
    sample.rails[name] = { mw: +current, avg_mw: +average };
    found = true;
  }
  return found ? sample : undefined;
}

/**
 * The fields of one line as tegrastats prints it live, with or without its `MM-DD-YYYY HH:MM:SS`
 * prefix (the caller times it: JetPack 4 prints no time), or undefined if it holds none.
 */
export function parseLiveLine(line: string): Omit<TelemetrySample, "time"> | undefined {
  const trimmed = line.trim();
  const prefix = PREFIX.exec(trimmed);
  return parseFields(prefix ? trimmed.slice(prefix[0].length) : trimmed);
}

/**
 * Parses a tegrastats log of any JetPack: Nano (JetPack 4, no timestamps, `POM_5V_IN 1997/2089`),
 * Xavier and Orin (JetPack 5/6, a `MM-DD-YYYY HH:MM:SS` prefix, `VDD_IN 4162mW/4162mW`; AGX boards
 * name their rails differently, e.g. `VDD_GPU_SOC`, `VIN_SYS_5V0`, and have no single input rail).
 * The GPU clock is the first of a bracketed list (`GR3D_FREQ 99%@[1300,1300]`, one per GPC).
 * Lines without a prefix are timed from `timing.start` every `timing.intervalMs`.
 */
export function parseTegrastats(text: string, timing: Timing): ParseResult {
  const parser = new TegrastatsParser(timing);
  const samples: TelemetrySample[] = [];
  const unparsed: number[] = [];
  const lines: number[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const sample = parser.line(raw, index + 1);
    if (sample !== undefined) {
      samples.push(sample);
      lines.push(index + 1);
    } else if (raw.trim() !== "") {
      unparsed.push(index + 1);
    }
  });
  return { samples, unparsed, lines };
}

/** parseTegrastats one line at a time, for logs read as a stream. */
export class TegrastatsParser {
  /** Non-empty lines that held no tegrastats fields: how many, and the first one's number. */
  unparsedCount = 0;
  firstUnparsed: number | undefined;
  private untimed = 0;

  constructor(private readonly timing: Timing) {}

  /** The sample of line `lineNo`, or undefined for a blank line or one that is not tegrastats output. */
  line(raw: string, lineNo: number): TelemetrySample | undefined {
    const line = raw.trim();
    if (line === "") return undefined;
    const prefix = PREFIX.exec(line);
    const fields = parseFields(prefix ? line.slice(prefix[0].length) : line);
    if (fields === undefined) {
      this.unparsedCount += 1;
      this.firstUnparsed ??= lineNo;
      return undefined;
    }
    let time: number;
    if (prefix) {
      const [, month, day, year, hour, minute, second] = prefix.map(Number);
      time = zonedToEpoch(year, month, day, hour, minute, second, this.timing.zone);
    } else {
      if (this.timing.start === undefined || this.timing.intervalMs === undefined) {
        throw new CliError(`line ${lineNo} has no timestamp (JetPack 4 tegrastats): give --start ISO and --interval-ms N`);
      }
      time = this.timing.start + this.untimed * this.timing.intervalMs;
      this.untimed += 1;
    }
    return { time: new Date(time).toISOString(), ...fields };
  }
}
