import { spawnSync } from "child_process";
import * as path from "path";
import { describe, expect, it } from "vitest";

/** `energy` times a JetPack 4 log (no timestamps) itself, with the options of `telemetry parse`. */
const PROJECT = path.resolve(__dirname, "../..");
const data = (name: string): string => path.join(__dirname, "data", name);

function cli(...args: string[]) {
  const result = spawnSync(path.join(PROJECT, "node_modules/.bin/tsx"), ["benchmarks/cli.ts", ...args], { cwd: PROJECT, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("energy of a JetPack 4 log without timestamps", () => {
  it("times the log with --start and --interval-ms, with no separate parse step", () => {
    const result = cli(
      "energy", "--telemetry", data("tegrastats-nano-jp4.log"), "--start", "2026-11-24T10:00:00Z", "--interval-ms", "500",
      "--from", "2026-11-24T10:00:00Z", "--to", "2026-11-24T10:00:01Z", "--json",
    );
    expect(result.code).toBe(0);
    // POM_5V_IN: 2 W, 6 W, 4 W every 0.5 s -> (2 + 6) / 2 * 0.5 + (6 + 4) / 2 * 0.5 = 4.5 J
    const report = JSON.parse(result.stdout) as { rail: string; joules: number };
    expect(report.rail).toBe("POM_5V_IN");
    expect(report.joules).toBeCloseTo(4.5, 10);
    expect(result.stderr).toContain("(first: line 3)");
  });

  it("reads --start in --tz, as telemetry parse does", () => {
    const result = cli(
      "energy", "--telemetry", data("tegrastats-nano-jp4.log"), "--start", "2026-11-24T11:00:00", "--tz", "Europe/Berlin", "--interval-ms", "500",
      "--from", "2026-11-24T10:00:00Z", "--to", "2026-11-24T10:00:01Z", "--json",
    );
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { joules: number }).joules).toBeCloseTo(4.5, 10);
  });

  it("wants --start and --interval-ms together", () => {
    const result = cli("energy", "--telemetry", data("tegrastats-nano-jp4.log"), "--start", "2026-11-24T10:00:00Z", "--from", "2026-11-24T10:00:00Z", "--to", "2026-11-24T10:00:01Z");
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("edgecall energy: give both --start and --interval-ms (they time a log without timestamps), or neither\n");
  });
});
