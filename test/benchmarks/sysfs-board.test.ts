import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { findBoardReaders, sampleBoard } from "../../benchmarks/telemetry/sysfs-board";
import { telemetrySampleSchema } from "../../benchmarks/telemetry/sample";

const PROJECT = path.resolve(__dirname, "../..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-sysfs-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(root: string, file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
}

/** A JetPack 4 Nano's sysfs and /proc as far as telemetry reads them, with values chosen by hand. */
function nanoBoard(name: string): { sys: string; proc: string } {
  const sys = path.join(tmp, name, "sys");
  const proc = path.join(tmp, name, "proc");
  write(sys, "bus/i2c/drivers/ina3221x/6-0040/iio:device0/rail_name_0", "POM_5V_IN\n");
  write(sys, "bus/i2c/drivers/ina3221x/6-0040/iio:device0/in_power0_input", "3120\n");
  write(sys, "class/devfreq/57000000.gpu/device/load", "423\n");
  write(sys, "class/devfreq/57000000.gpu/cur_freq", "921600000\n");
  // Another devfreq device (the video image compositor) has a load file too; it is not the GPU.
  write(sys, "class/devfreq/54340000.vic/device/load", "999\n");
  write(sys, "class/thermal/thermal_zone1/type", "GPU-therm\n");
  write(sys, "class/thermal/thermal_zone1/temp", "38500\n");
  write(sys, "class/thermal/thermal_zone0/type", "CPU-therm\n");
  write(sys, "class/thermal/thermal_zone0/temp", "41000\n");
  write(sys, "class/thermal/thermal_zone4/type", "PMIC-Die\n");
  write(sys, "class/thermal/thermal_zone4/temp", "100000\n");
  write(sys, "class/thermal/thermal_zone5/type", "CV0-therm\n");
  write(sys, "class/thermal/thermal_zone5/temp", "-256000\n");
  write(proc, "meminfo", "MemTotal:        4051048 kB\nMemFree:          812340 kB\nMemAvailable:    2478080 kB\nSwapTotal:       6123072 kB\n");
  return { sys, proc };
}

describe("the board in sysfs, without tegrastats", () => {
  it("reads the rails, the GPU's load and clock, thermal zones by tegrastats' names, and memory", () => {
    const { sys, proc } = nanoBoard("nano");
    const sample = sampleBoard(findBoardReaders(sys, proc), new Date("2026-11-25T10:00:00Z"));
    expect(sample).toEqual({
      time: "2026-11-25T10:00:00.000Z",
      cpu: [],
      rails: { POM_5V_IN: { mw: 3120 } },
      gpu_load_pct: 42.3,
      gpu_freq_mhz: 921.6,
      // CV0 reads -256 °C: powered off, left out.
      temperatures: { CPU: 41, GPU: 38.5, "PMIC-Die": 100 },
      // (4051048 - 2478080) kB used of 4051048 kB
      ram_used_mb: 1536,
      ram_total_mb: 3956,
    });
    expect(telemetrySampleSchema.safeParse(sample).success).toBe(true);
  });

  it("finds the GPU of a Xavier (gv11b) and an Orin (ga10b), and leaves the GPU out where there is none", () => {
    for (const gpu of ["17000000.gv11b", "17000000.ga10b"]) {
      const sys = path.join(tmp, gpu, "sys");
      write(sys, `class/devfreq/${gpu}/device/load`, "1000\n");
      expect(sampleBoard(findBoardReaders(sys, path.join(tmp, "none"))).gpu_load_pct).toBe(100);
    }
    const bare = path.join(tmp, "bare", "sys");
    write(bare, "class/devfreq/15340000.vic/device/load", "500\n");
    const sample = sampleBoard(findBoardReaders(bare, path.join(tmp, "none")));
    expect(sample.gpu_load_pct).toBeUndefined();
    expect(sample.ram_used_mb).toBeUndefined();
  });

  it("names a sysfs file that does not hold a number", () => {
    const { sys, proc } = nanoBoard("broken");
    write(sys, "class/devfreq/57000000.gpu/device/load", "busy\n");
    expect(() => sampleBoard(findBoardReaders(sys, proc))).toThrow(`${path.join(sys, "class/devfreq/57000000.gpu/device/load")}: not a number`);
  });

  it("is what `telemetry record --source sysfs` writes, so a benchmark without tegrastats still has GPU load", () => {
    const { sys, proc } = nanoBoard("record");
    const out = path.join(tmp, "record.jsonl");
    const result = spawnSync(
      path.join(PROJECT, "node_modules/.bin/tsx"),
      ["benchmarks/cli.ts", "telemetry", "record", "--out", out, "--interval-ms", "100", "--duration-s", "0.25", "--source", "sysfs"],
      { cwd: PROJECT, encoding: "utf8", env: { ...process.env, EDGECALL_SYSFS_ROOT: sys, EDGECALL_PROC_ROOT: proc } },
    );
    expect(result.stderr).toMatch(/samples written/);
    expect(result.status).toBe(0);
    const first = JSON.parse(fs.readFileSync(out, "utf8").split("\n")[0]) as Record<string, unknown>;
    expect(first).toMatchObject({ gpu_load_pct: 42.3, ram_used_mb: 1536, temperatures: { GPU: 38.5 }, rails: { POM_5V_IN: { mw: 3120 } } });
  });
});
