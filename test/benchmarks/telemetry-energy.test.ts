import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { energyReport } from "../../benchmarks/energy/report";
import { integrate, inputRail, powerSeries } from "../../benchmarks/energy/integrate";
import { findRails, sampleRails } from "../../benchmarks/telemetry/ina3221";
import { recordTegrastats } from "../../benchmarks/telemetry/record";
import { parseTegrastats } from "../../benchmarks/telemetry/tegrastats";
import { parseMeterCsv } from "../../benchmarks/telemetry/meter-csv";

const PROJECT = path.resolve(__dirname, "../..");
const data = (name: string): string => path.join(__dirname, "data", name);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-telemetry-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]) {
  const result = spawnSync(path.join(PROJECT, "node_modules/.bin/tsx"), ["benchmarks/cli.ts", ...args], { cwd: PROJECT, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
const t = (iso: string): number => Date.parse(iso);

describe("tegrastats parsing", () => {
  it("reads a Nano (JetPack 4) log without timestamps from --start and --interval-ms, reporting the line it could not read", () => {
    const { samples, unparsed } = parseTegrastats(fs.readFileSync(data("tegrastats-nano-jp4.log"), "utf8"), {
      zone: "UTC",
      start: t("2026-11-24T10:00:00Z"),
      intervalMs: 500,
    });
    expect(unparsed).toEqual([3]);
    expect(samples.map((s) => s.time)).toEqual(["2026-11-24T10:00:00.000Z", "2026-11-24T10:00:00.500Z", "2026-11-24T10:00:01.000Z"]);
    expect(samples[1]).toMatchObject({
      ram_used_mb: 2110,
      ram_total_mb: 3956,
      swap_used_mb: 0,
      gpu_load_pct: 99,
      gpu_freq_mhz: 921,
      emc_load_pct: 12,
      temperatures: { CPU: 29, GPU: 28.5, PLL: 27, AO: 34, thermal: 27.5, PMIC: 100 },
      rails: { POM_5V_IN: { mw: 6000, avg_mw: 4030 }, POM_5V_GPU: { mw: 3000, avg_mw: 1500 }, POM_5V_CPU: { mw: 1200, avg_mw: 740 } },
    });
    expect(samples[1].cpu).toEqual([
      { load_pct: 80, freq_mhz: 1479 },
      { load_pct: 75, freq_mhz: 1479 },
      { load_pct: null, freq_mhz: null },
      { load_pct: null, freq_mhz: null },
    ]);
  });

  it("refuses a log without timestamps when --start and --interval-ms are missing", () => {
    expect(() => parseTegrastats(fs.readFileSync(data("tegrastats-nano-jp4.log"), "utf8"), { zone: "UTC" })).toThrow(/--start ISO and --interval-ms N/);
  });

  it("reads Orin (JetPack 6) lines with their prefix, lower-case sensors and mW rails", () => {
    const { samples } = parseTegrastats(fs.readFileSync(data("tegrastats-orin-jp6.log"), "utf8"), { zone: "UTC" });
    expect(samples).toHaveLength(3);
    expect(samples[1]).toMatchObject({
      time: "2026-11-24T10:00:01.000Z",
      gpu_load_pct: 97,
      temperatures: { cpu: 48.1, gpu: 50.5, tj: 50.5 },
      rails: { VDD_IN: { mw: 9600, avg_mw: 7200 }, VDD_CPU_GPU_CV: { mw: 4800, avg_mw: 2640 }, VDD_SOC: { mw: 1920, avg_mw: 1680 } },
    });
    expect(samples[1].cpu).toHaveLength(6);
    expect(samples[1].emc_load_pct).toBeUndefined();
  });

  it("reads Xavier NX (JetPack 5) GPU frequency in brackets and EMC frequency", () => {
    const [sample] = parseTegrastats(fs.readFileSync(data("tegrastats-xavier-nx-jp5.log"), "utf8"), { zone: "UTC" }).samples;
    expect(sample).toMatchObject({ time: "2026-08-25T10:12:01.000Z", gpu_load_pct: 0, gpu_freq_mhz: 114, emc_load_pct: 0, emc_freq_mhz: 1600 });
    expect(sample.rails.VDD_IN).toEqual({ mw: 4162, avg_mw: 4162 });
  });

  it("reads AGX Orin (JetPack 5) rails, one clock per GPC and sensors below zero (a CV unit that is off)", () => {
    const [idle, busy] = parseTegrastats(fs.readFileSync(data("tegrastats-agx-orin-jp5.log"), "utf8"), { zone: "UTC" }).samples;
    expect(busy).toMatchObject({ time: "2026-05-14T08:30:01.000Z", gpu_load_pct: 99, gpu_freq_mhz: 1300, emc_load_pct: 34, emc_freq_mhz: 3199 });
    expect(Object.keys(busy.rails)).toEqual(["VDD_GPU_SOC", "VDD_CPU_CV", "VIN_SYS_5V0", "VDDQ_VDD2_1V8AO"]);
    expect(busy.temperatures).toMatchObject({ CV0: -256, GPU: 51.25, tj: 51.25 });
    expect(busy.cpu.filter((c) => c.load_pct !== null)).toHaveLength(4);
    // No VDD_IN on AGX Orin: the board's power is the sum of its rails, 6.3 W idle and 20.3 W busy.
    expect(inputRail([idle, busy])).toBe("sum of all rails");
    expect(integrate(powerSeries([idle, busy], "sum of all rails"), t("2026-05-14T08:30:00Z"), t("2026-05-14T08:30:01Z")).joules).toBeCloseTo((6.3 + 20.3) / 2, 10);
  });

  it("applies the shared CPU clock that older tegrastats prints after the bracket", () => {
    const [sample] = parseTegrastats("RAM 1500/3956MB (lfb 4x4MB) CPU [30%,20%,off,off]@1428 GR3D_FREQ 5%@76\n", { zone: "UTC", start: 0, intervalMs: 1000 }).samples;
    expect(sample.cpu).toEqual([
      { load_pct: 30, freq_mhz: 1428 },
      { load_pct: 20, freq_mhz: 1428 },
      { load_pct: null, freq_mhz: null },
      { load_pct: null, freq_mhz: null },
    ]);
  });

  it("reads prefixed times in the zone --tz names", () => {
    const { samples } = parseTegrastats(fs.readFileSync(data("tegrastats-orin-jp6.log"), "utf8"), { zone: "Europe/Berlin" });
    expect(samples[0].time).toBe("2026-11-24T09:00:00.000Z");
  });

  it("reads an external meter's CSV from volts and amps, or watts", () => {
    const fromVA = parseMeterCsv("time,volts,amps\n2026-11-24T10:00:00Z,5.1,0.8\n2026-11-24T10:00:01Z,5.0,1.0\n", "UTC");
    expect(fromVA.map((s) => s.rails.EXTERNAL.mw)).toEqual([4080, 5000]);
    const fromW = parseMeterCsv("timestamp;watts\n1795000000;4.5\n", "UTC");
    expect(fromW[0]).toMatchObject({ time: new Date(1795000000 * 1000).toISOString(), rails: { EXTERNAL: { mw: 4500 } } });
    expect(() => parseMeterCsv("time,temp\n1,2\n", "UTC")).toThrow(/needs watts, or volts and amps/);
  });

  it("records tegrastats output as JSONL samples with wall-clock times", async () => {
    const fake = path.join(tmp, "tegrastats");
    // Three lines, then it ends, which ends the recording: the count does not hang on the clock.
    fs.writeFileSync(fake, `#!/bin/sh\nfor i in 1 2 3; do echo "${fs.readFileSync(data("tegrastats-nano-jp4.log"), "utf8").split("\n")[0]}"; sleep 0.1; done\n`, { mode: 0o755 });
    const out = path.join(tmp, "recorded.jsonl");
    const before = Date.now();
    const count = await recordTegrastats({ out, intervalMs: 100, durationS: 60, tegrastats: fake });
    const lines = fs.readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { time: string; rails: Record<string, { mw: number }> });
    expect(count).toBe(3);
    expect(lines).toHaveLength(3);
    expect(Date.parse(lines[2].time)).toBeGreaterThanOrEqual(Date.parse(lines[0].time));
    expect(Date.parse(lines[0].time)).toBeGreaterThanOrEqual(before - 5);
    expect(lines[0].rails.POM_5V_IN.mw).toBe(2000);
  });
});

describe("INA3221 rails in sysfs", () => {
  function fakeSysfs(): string {
    const root = path.join(tmp, "sys");
    const iio = path.join(root, "bus/i2c/drivers/ina3221x/6-0040/iio:device0");
    fs.mkdirSync(iio, { recursive: true });
    fs.writeFileSync(path.join(iio, "rail_name_0"), "POM_5V_IN\n");
    fs.writeFileSync(path.join(iio, "in_power0_input"), "2450\n");
    fs.writeFileSync(path.join(iio, "rail_name_1"), "POM_5V_GPU\n");
    fs.writeFileSync(path.join(iio, "in_power1_input"), "310\n");
    const hwmon = path.join(root, "bus/i2c/drivers/ina3221/1-0040/hwmon/hwmon3");
    fs.mkdirSync(hwmon, { recursive: true });
    fs.writeFileSync(path.join(hwmon, "in1_label"), "VDD_IN\n");
    fs.writeFileSync(path.join(hwmon, "in1_input"), "5000\n");
    fs.writeFileSync(path.join(hwmon, "curr1_input"), "960\n");
    return root;
  }

  it("reads JetPack 4 IIO rails in mW and JetPack 5/6 hwmon rails from mV and mA", () => {
    const sample = sampleRails(findRails(fakeSysfs()), new Date("2026-11-24T10:00:00Z"));
    expect(sample).toEqual({
      time: "2026-11-24T10:00:00.000Z",
      cpu: [],
      temperatures: {},
      rails: { POM_5V_IN: { mw: 2450 }, POM_5V_GPU: { mw: 310 }, VDD_IN: { mw: 4800 } },
    });
  });

  it("records them from the command line when tegrastats is absent", () => {
    const root = fakeSysfs();
    const out = path.join(tmp, "sysfs.jsonl");
    const result = spawnSync(path.join(PROJECT, "node_modules/.bin/tsx"), ["benchmarks/cli.ts", "telemetry", "record", "--out", out, "--interval-ms", "100", "--duration-s", "2", "--source", "sysfs"], {
      cwd: PROJECT,
      encoding: "utf8",
      env: { ...process.env, EDGECALL_SYSFS_ROOT: root },
    });
    expect(result.status).toBe(0);
    const lines = fs.readFileSync(out, "utf8").trim().split("\n");
    // A sample at once, then one every 100 ms for 2 s: a machine busy enough to lose most ticks
    // still takes the second.
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(result.stderr.trim()).toBe(`edgecall telemetry: ${lines.length} samples written to ${out}`);
    expect(JSON.parse(lines[0]).rails.VDD_IN).toEqual({ mw: 4800 });
  });
});

describe("energy", () => {
  const orin = parseTegrastats(fs.readFileSync(data("tegrastats-orin-jp6.log"), "utf8"), { zone: "UTC" }).samples;

  it("integrates the input rail by the trapezoid rule: 4.8 W -> 9.6 W over 1 s, 9.6 W -> 8.4 W over 2 s", () => {
    expect(inputRail(orin)).toBe("VDD_IN");
    // (4.8 + 9.6) / 2 * 1 + (9.6 + 8.4) / 2 * 2 = 7.2 + 18 = 25.2 J over 3 s
    const e = integrate(powerSeries(orin, "VDD_IN"), t("2026-11-24T10:00:00Z"), t("2026-11-24T10:00:03Z"));
    expect(e.joules).toBeCloseTo(25.2, 10);
    expect(e.mean_watts).toBeCloseTo(8.4, 10);
    expect(e.seconds).toBe(3);
  });

  it("interpolates the power at window edges that fall between samples", () => {
    // 10:00:00.5 -> 7.2 W (halfway 4.8..9.6); 10:00:02 -> 9.0 W (halfway 9.6..8.4)
    // (7.2 + 9.6) / 2 * 0.5 + (9.6 + 9.0) / 2 * 1 = 4.2 + 9.3 = 13.5 J
    const e = integrate(powerSeries(orin, "VDD_IN"), t("2026-11-24T10:00:00.500Z"), t("2026-11-24T10:00:02Z"));
    expect(e.joules).toBeCloseTo(13.5, 10);
  });

  it("sums every rail on boards without an input rail (AGX Xavier) and says so", () => {
    const agx = parseTegrastats(fs.readFileSync(data("tegrastats-agx-xavier-jp5.log"), "utf8"), { zone: "UTC" }).samples;
    expect(inputRail(agx)).toBe("sum of all rails");
    // sums: 3150 mW then 3300 mW, 2 s apart -> (3.15 + 3.3) / 2 * 2 = 6.45 J
    const e = integrate(powerSeries(agx, "sum of all rails"), t("2026-03-02T09:00:00Z"), t("2026-03-02T09:00:02Z"));
    expect(e.joules).toBeCloseTo(6.45, 10);
  });

  it("reports per megabase, per read, per rail, and above an idle baseline", () => {
    const report = energyReport(orin, t("2026-11-24T10:00:01Z"), t("2026-11-24T10:00:03Z"), {
      bases: 2_000_000,
      reads: 9,
      baseline: [t("2026-11-24T10:00:00Z"), t("2026-11-24T10:00:01Z")],
    });
    // window: (9.6 + 8.4) / 2 * 2 = 18 J; baseline mean (4.8 + 9.6) / 2 = 7.2 W -> 18 - 14.4 = 3.6 J
    expect(report.joules).toBeCloseTo(18, 10);
    expect(report.joules_per_megabase).toBeCloseTo(9, 10);
    expect(report.joules_per_read).toBeCloseTo(2, 10);
    expect(report.above_idle?.joules).toBeCloseTo(3.6, 10);
    expect(report.above_idle?.mean_watts).toBeCloseTo(1.8, 10);
    expect(report.per_rail_mean_watts.VDD_SOC).toBeCloseTo((1.92 + 1.8) / 2, 10);
    // VDD_SOC: 1.92 W at 10:00:01, 1.8 W at 10:00:03 -> (1.92 + 1.8) / 2 * 2 = 3.72 J
    expect(report.per_rail?.VDD_SOC.joules).toBeCloseTo(3.72, 10);
    expect(report.per_rail?.VDD_SOC.joules_per_megabase).toBeCloseTo(1.86, 10);
    // The input rail's own entry agrees with the headline figure.
    expect(report.per_rail?.VDD_IN.joules).toBeCloseTo(report.joules, 10);
  });

  it("leaves out of per_rail a rail whose samples do not cover the window", () => {
    const sample = (time: string, rails: Record<string, number>) => ({
      time,
      cpu: [],
      temperatures: {},
      rails: Object.fromEntries(Object.entries(rails).map(([name, mw]) => [name, { mw }])),
    });
    const samples = [sample("2026-01-01T00:00:00Z", { VDD_IN: 5000, VDD_GPU: 1000 }), sample("2026-01-01T00:00:02Z", { VDD_IN: 7000 })];
    const report = energyReport(samples, t("2026-01-01T00:00:00Z"), t("2026-01-01T00:00:02Z"));
    // (5 + 7) / 2 * 2 = 12 J
    expect(report.joules).toBeCloseTo(12, 10);
    expect(Object.keys(report.per_rail ?? {})).toEqual(["VDD_IN"]);
  });

  it("refuses a window outside the samples instead of counting it as zero", () => {
    expect(() => integrate(powerSeries(orin, "VDD_IN"), t("2026-11-24T09:59:59Z"), t("2026-11-24T10:00:02Z"))).toThrow(/not inside the samples/);
  });

  it("works from the command line on a raw log, with one-line errors", () => {
    const ok = cli("energy", "--telemetry", data("tegrastats-orin-jp6.log"), "--from", "2026-11-24T10:00:00Z", "--to", "2026-11-24T10:00:03Z", "--bases", "1000000", "--json");
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ rail: "VDD_IN", seconds: 3 });
    expect(JSON.parse(ok.stdout).joules_per_megabase).toBeCloseTo(25.2, 6);
    const bad = cli("energy", "--telemetry", data("tegrastats-orin-jp6.log"), "--from", "yesterday", "--to", "2026-11-24T10:00:03Z");
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe("edgecall energy: --from yesterday is not a time: expected ISO 8601 YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM], such as 2026-11-24T10:00:00Z");
    const missing = cli("energy", "--telemetry", "/nonexistent.log", "--from", "2026-11-24T10:00:00Z", "--to", "2026-11-24T10:00:03Z");
    expect(missing.stderr.trim()).toBe("edgecall energy: /nonexistent.log: no such file");
  });

  it("refuses a bad --bases before reading the log, so a long log is not read for nothing", () => {
    const bad = cli("energy", "--telemetry", "/nonexistent.log", "--from", "2026-11-24T10:00:00Z", "--to", "2026-11-24T10:00:03Z", "--bases", "many");
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe("edgecall energy: --bases must be a positive integer, got many");
  });

  it("prints a table per rail, above idle, and says which lines of a raw log it left out", () => {
    const log = path.join(tmp, "orin-with-junk.log");
    fs.writeFileSync(log, `${fs.readFileSync(data("tegrastats-orin-jp6.log"), "utf8")}tegrastats: killed\n`);
    const result = cli("energy", "--telemetry", log, "--from", "2026-11-24T10:00:01Z", "--to", "2026-11-24T10:00:03Z", "--baseline-from", "2026-11-24T10:00:00Z", "--baseline-to", "2026-11-24T10:00:01Z");
    expect(result.code).toBe(0);
    expect(result.stderr.trim()).toBe(`edgecall energy: 1 line(s) of ${log} are not tegrastats output and were left out (first: line 4)`);
    const rows = result.stdout.trim().split("\n");
    expect(rows[0]).toBe("input rail: VDD_IN; window 2 s");
    expect(rows[1]).toBe("rail\tjoules\tmean_watts\tjoules_per_megabase");
    expect(rows[2]).toBe("VDD_IN\t18.000\t9.000\tNA");
    expect(rows[3]).toBe("VDD_IN above idle\t3.600\t1.800\tNA");
    expect(rows.slice(4).map((r) => r.split("\t")[0])).toEqual(["VDD_CPU_GPU_CV", "VDD_SOC"]);
  });

  it("names the file and line of a JSONL sample that is not one", () => {
    const jsonl = path.join(tmp, "bad.jsonl");
    fs.writeFileSync(jsonl, `{"time":"2026-01-01T00:00:00Z","cpu":[],"temperatures":{},"rails":{"VDD_IN":{"mw":1}}}\n{"time":"noon","cpu":[],"temperatures":{},"rails":{}}\n`);
    const result = cli("energy", "--telemetry", jsonl, "--from", "2026-01-01T00:00:00Z", "--to", "2026-01-01T00:00:01Z");
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(`edgecall energy: ${jsonl}:2: not a telemetry sample: time: not an ISO time`);
  });

  it("tells how to time a JetPack 4 log before taking its energy", () => {
    const result = cli("energy", "--telemetry", data("tegrastats-nano-jp4.log"), "--from", "2026-01-01T00:00:00Z", "--to", "2026-01-01T00:00:01Z");
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(`edgecall energy: ${data("tegrastats-nano-jp4.log")}: line 1 has no timestamp (JetPack 4 tegrastats): give --start ISO and --interval-ms N`);
  });

  it("names the log when the window lies outside its samples", () => {
    const result = cli("energy", "--telemetry", data("tegrastats-orin-jp6.log"), "--from", "2026-11-24T09:00:00Z", "--to", "2026-11-24T10:00:01Z");
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(/^edgecall energy: .*tegrastats-orin-jp6\.log: the window 2026-11-24T09:00:00\.000Z \.\. 2026-11-24T10:00:01\.000Z is not inside the samples/);
  });

  it("parses logs from the command line to JSONL", () => {
    const result = cli("telemetry", "parse", data("tegrastats-nano-jp4.log"), "--start", "2026-11-24T10:00:00", "--interval-ms", "1000", "--json");
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split("\n")).toHaveLength(3);
    expect(result.stderr).toContain("1 line(s)");
    expect(result.stderr).toContain("line 3");
  });
});
