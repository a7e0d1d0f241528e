import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { ISO_FORM, parseIsoTime } from "../../benchmarks/common/iso-time";

const PROJECT = path.resolve(__dirname, "../..");
const orin = path.join(__dirname, "data", "tegrastats-orin-jp6.log");
const nano = path.join(__dirname, "data", "tegrastats-nano-jp4.log");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-iso-time-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]) {
  const result = spawnSync(path.join(PROJECT, "node_modules/.bin/tsx"), ["benchmarks/cli.ts", ...args], { cwd: PROJECT, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("strict ISO 8601 times", () => {
  it("reads a zone suffix, an offset, a fraction, a leap day, and a bare time in the given zone", () => {
    expect(parseIsoTime("2026-11-24T10:00:00Z", "--from")).toBe(Date.UTC(2026, 10, 24, 10));
    expect(parseIsoTime("2026-11-24T10:00:00.250+01:00", "--from")).toBe(Date.UTC(2026, 10, 24, 9, 0, 0, 250));
    expect(parseIsoTime("2026-11-24T10:00:00.123456Z", "--from")).toBe(Date.UTC(2026, 10, 24, 10, 0, 0, 123));
    expect(parseIsoTime("2024-02-29T23:59:59Z", "--from")).toBe(Date.UTC(2024, 1, 29, 23, 59, 59));
    expect(parseIsoTime("2026-11-24 11:00:00", "--from", "Europe/Berlin")).toBe(Date.UTC(2026, 10, 24, 10));
    expect(parseIsoTime("2026-11-24T10:00:00", "--from")).toBe(Date.UTC(2026, 10, 24, 10));
  });

  it.each([
    ["2026-02-30T10:00:10Z", "February 2026 has no day 30"],
    ["2025-02-29T10:00:10Z", "February 2025 has no day 29"],
    ["2026-04-31T10:00:10Z", "April 2026 has no day 31"],
    ["2026-13-01T10:00:10Z", "there is no month 13"],
    ["2026-11-24T09:60:10", "minute 60 is past 59"],
    ["2026-11-24T25:00:10Z", "hour 25 is past 23"],
    ["2026-11-24T10:00:60Z", "second 60 is past 59"],
    ["2026-11-24T10:00:00+25:00", "no such zone offset"],
  ])("refuses %s (%s) instead of rolling it over", (value, why) => {
    expect(() => parseIsoTime(value, "--to")).toThrow(`--to ${value} is not a valid time (${why}): expected ${ISO_FORM}`);
  });

  it("refuses what is not an ISO time at all, naming the expected form", () => {
    expect(() => parseIsoTime("Invalid Date", "--start")).toThrow(`--start Invalid Date is not a time: expected ${ISO_FORM}`);
    expect(() => parseIsoTime("2026-11-24", "--start")).toThrow(/is not a time/);
  });
});

describe("every time option of the CLI is strict", () => {
  const window = ["--from", "2026-11-24T10:00:00Z", "--to", "2026-11-24T10:00:03Z"];
  const baseline = ["--baseline-from", "2026-11-24T10:00:00Z", "--baseline-to", "2026-11-24T10:00:01Z"];
  const withOption = (args: string[], flag: string, value: string): string[] => {
    const at = args.indexOf(flag);
    return at < 0 ? [...args, flag, value] : args.map((a, i) => (i === at + 1 ? value : a));
  };
  const energy = ["energy", "--telemetry", orin, ...window, ...baseline];

  it.each([
    ["energy", energy, "--from", "2026-02-30T10:00:10Z", "February 2026 has no day 30"],
    ["energy", energy, "--to", "2026-11-24T25:00:10Z", "hour 25 is past 23"],
    ["energy", energy, "--baseline-from", "2026-11-24T09:60:10", "minute 60 is past 59"],
    ["energy", energy, "--baseline-to", "2026-02-30T10:00:10Z", "February 2026 has no day 30"],
    ["energy", ["energy", "--telemetry", nano, ...window, "--interval-ms", "500"], "--start", "2026-11-24T09:60:10", "minute 60 is past 59"],
    ["telemetry", ["telemetry", "parse", nano, "--interval-ms", "500"], "--start", "2026-11-24T25:00:10Z", "hour 25 is past 23"],
  ])("%s %s: %s %s is one error line naming the option, the value and the form", (command, args, flag, value, why) => {
    const result = cli(...withOption(args, flag, value));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(`edgecall ${command}: ${flag} ${value} is not a valid time (${why}): expected ${ISO_FORM}\n`);
  });

  it("reads a meter CSV's time column as strictly, naming its line", () => {
    const csv = path.join(tmp, "meter.csv");
    fs.writeFileSync(csv, "time,watts\n2026-02-28T10:00:00Z,5\n2026-02-29T10:00:00Z,5\n");
    const result = cli("telemetry", "parse", csv, "--format", "csv");
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`edgecall telemetry: meter log line 3 time 2026-02-29T10:00:00Z is not a valid time (February 2026 has no day 29): expected ${ISO_FORM}\n`);
  });
});
