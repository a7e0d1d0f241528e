import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";
import { GAP_FACTOR, findGaps } from "../../benchmarks/energy/gaps";

/** Logs whose timeline is broken: a restarted tegrastats, a stalled sampler, a time that does not exist. */
const PROJECT = path.resolve(__dirname, "../..");
const data = (name: string): string => path.join(__dirname, "data", name);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-timeline-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]) {
  const result = spawnSync(path.join(PROJECT, "node_modules/.bin/tsx"), ["benchmarks/cli.ts", ...args], { cwd: PROJECT, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A JSONL log with one VDD_IN sample (in watts) at each of the given seconds after 10:00:00. */
function jsonlLog(name: string, seconds: number[], watts = 5): string {
  const file = path.join(tmp, name);
  const line = (s: number): string =>
    JSON.stringify({ time: new Date(Date.parse("2026-11-24T10:00:00Z") + s * 1000).toISOString(), cpu: [], temperatures: {}, rails: { VDD_IN: { mw: watts * 1000 } } });
  fs.writeFileSync(file, `${seconds.map(line).join("\n")}\n`);
  return file;
}

const orinLog = fs.readFileSync(data("tegrastats-orin-jp6.log"), "utf8");

describe("energy over a broken timeline", () => {
  it("refuses a raw log that a restarted tegrastats appended to, naming the file and the line where time goes back", () => {
    const log = path.join(tmp, "restarted.log");
    fs.writeFileSync(log, orinLog + orinLog);
    const result = cli("energy", "--telemetry", log, "--from", "2026-11-24T10:00:00Z", "--to", "2026-11-24T10:00:03Z");
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `edgecall energy: ${log}:4: time 2026-11-24T10:00:00.000Z goes back from line 3's 2026-11-24T10:00:03.000Z ` +
        "(times must increase; was a restarted tegrastats appended to the same file?)\n",
    );
  });

  it("converts a restarted log with telemetry parse, every sample kept, and warns once of the time that goes back", () => {
    const log = path.join(tmp, "restarted-parse.log");
    fs.writeFileSync(log, orinLog + orinLog);
    const result = cli("telemetry", "parse", log, "--tz", "UTC");
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split("\n")).toHaveLength(6);
    expect(result.stderr).toBe(
      `edgecall telemetry: warning: ${log}:4: time 2026-11-24T10:00:00.000Z goes back from line 3's 2026-11-24T10:00:03.000Z ` +
        "(times must increase; was a restarted tegrastats appended to the same file?)\n",
    );
  });

  it("warns when another board's log is appended (its rails change) and counts the span without the input rail as a gap", () => {
    const log = path.join(tmp, "two-boards.jsonl");
    const at = (s: number): string => new Date(Date.parse("2026-11-24T10:00:00Z") + s * 1000).toISOString();
    const sample = (s: number, rails: Record<string, { mw: number }>): string => JSON.stringify({ time: at(s), cpu: [], temperatures: {}, rails });
    const lines = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((s) => sample(s, s >= 4 && s <= 6 ? { SYS5V: { mw: 1800 } } : { VDD_IN: { mw: 5000 } }));
    fs.writeFileSync(log, `${lines.join("\n")}\n`);
    const result = cli("energy", "--telemetry", log, "--from", at(0), "--to", at(8), "--json");
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { gaps: unknown[] }).gaps).toEqual([{ from: at(3), to: at(7), seconds: 4 }]);
    expect(result.stderr.trim().split("\n")).toEqual([
      `edgecall energy: warning: ${log}: its rails change at ${at(4)} (from VDD_IN to SYS5V): a log of another board appended? Where VDD_IN, the input rail, is missing, the span counts as a gap`,
      `edgecall energy: warning: ${log}: 1 gap(s) in the input rail's samples inside the window (longer than ${GAP_FACTOR} sampling intervals, or where the rail is missing), integrated as straight lines: ${at(3)} .. ${at(7)} (4 s)`,
    ]);
  });

  it("refuses a JSONL log whose time repeats, naming the line", () => {
    const log = jsonlLog("repeat.jsonl", [0, 1, 1, 2, 3]);
    const result = cli("energy", "--telemetry", log, "--from", "2026-11-24T10:00:00Z", "--to", "2026-11-24T10:00:03Z");
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain(`edgecall energy: ${log}:3: time 2026-11-24T10:00:01.000Z repeats line 2's 2026-11-24T10:00:01.000Z`);
  });

  it("refuses a JSONL sample whose time does not exist instead of rolling it into the next month", () => {
    const log = path.join(tmp, "feb30.jsonl");
    fs.writeFileSync(log, `${fs.readFileSync(jsonlLog("feb.jsonl", [0, 1]), "utf8")}{"time":"2026-02-30T00:00:00Z","cpu":[],"temperatures":{},"rails":{"VDD_IN":{"mw":1}}}\n`);
    const result = cli("energy", "--telemetry", log, "--from", "2026-11-24T10:00:00Z", "--to", "2026-11-24T10:00:01Z");
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`edgecall energy: ${log}:3: not a telemetry sample: time: not an ISO time\n`);
  });

  it("reports a gap of more than five sampling intervals inside the window in gaps and in one warning line", () => {
    const log = jsonlLog("gap.jsonl", [0, 1, 2, 3, 4, 5, 15, 16, 17, 18, 19, 20]);
    const result = cli("energy", "--telemetry", log, "--from", "2026-11-24T10:00:00Z", "--to", "2026-11-24T10:00:20Z", "--json");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { gaps: unknown; joules: number };
    expect(report.gaps).toEqual([{ from: "2026-11-24T10:00:05.000Z", to: "2026-11-24T10:00:15.000Z", seconds: 10 }]);
    // Still integrated (a flat 5 W), but no longer silently.
    expect(report.joules).toBeCloseTo(100, 10);
    expect(result.stderr).toBe(
      `edgecall energy: warning: ${log}: 1 gap(s) in the input rail's samples inside the window (longer than ${GAP_FACTOR} sampling intervals, or where the rail is missing), integrated as straight lines: ` +
        "2026-11-24T10:00:05.000Z .. 2026-11-24T10:00:15.000Z (10 s)\n",
    );
    const table = cli("energy", "--telemetry", log, "--from", "2026-11-24T10:00:00Z", "--to", "2026-11-24T10:00:20Z");
    expect(table.stdout.split("\n")[0]).toBe("input rail: VDD_IN; window 20 s; 1 gap(s) in the samples");
  });

  it("says nothing of a gap outside the window, or of one within five intervals", () => {
    const log = jsonlLog("gap-outside.jsonl", [0, 1, 2, 12, 13, 14, 18, 19, 20]);
    const result = cli("energy", "--telemetry", log, "--from", "2026-11-24T10:00:12Z", "--to", "2026-11-24T10:00:20Z", "--json");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ gaps: [] });
    expect(result.stderr).toBe("");
  });

  it("finds gaps against the median interval, including one that only overlaps the window", () => {
    const points = [0, 1, 2, 3, 10, 11, 12].map((s) => ({ t: s * 1000, watts: 1 }));
    expect(findGaps(points, 5000, 12000)).toEqual([{ from: "1970-01-01T00:00:03.000Z", to: "1970-01-01T00:00:10.000Z", seconds: 7 }]);
    expect(findGaps(points, 10000, 12000)).toEqual([]);
    expect(findGaps(points.slice(0, 1), 0, 1000)).toEqual([]);
  });
});
