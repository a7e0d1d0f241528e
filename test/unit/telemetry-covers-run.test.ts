import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";

const SCRIPT = path.join(__dirname, "..", "..", "components", "benchmark-run", "pod-scripts", "telemetry-covers-run.js");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-covers-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const run = path.join(tmp, "run.json");
const telemetry = path.join(tmp, "telemetry.jsonl");

/** Runs the pod script; its exit status and what it said. */
function script(): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [SCRIPT, run, telemetry], { encoding: "utf8" });
  return { status: result.status, stderr: result.stderr };
}

/** The script on a run.json ending at `end` and telemetry samples at `times` (`times` null: no file yet). */
function covers(end: string, times: string[] | null): { status: number | null; stderr: string } {
  fs.writeFileSync(run, JSON.stringify({ start: "2026-11-29T10:00:00.000Z", end }));
  fs.rmSync(telemetry, { force: true });
  if (times !== null) fs.writeFileSync(telemetry, times.map((time) => `${JSON.stringify({ time, rails: {} })}\n`).join(""));
  return script();
}

const END = "2026-11-29T10:00:10.000Z";

describe("evaluate's wait for telemetry that covers the timed window (pod-scripts/telemetry-covers-run.js)", () => {
  it("succeeds only once the last sample is later than the window's end, and says why not before", () => {
    expect(covers(END, ["2026-11-29T10:00:09.000Z", "2026-11-29T10:00:10.500Z"])).toEqual({ status: 0, stderr: "" });
    const atEnd = covers(END, ["2026-11-29T10:00:09.000Z", "2026-11-29T10:00:10.000Z"]);
    expect(atEnd.status).toBe(1);
    expect(atEnd.stderr).toBe(`telemetry-covers-run: ${telemetry}: the last sample ({"time":"2026-11-29T10:00:10.000Z","rails":{}}) is not after the run's end ${END}\n`);
    expect(covers(END, ["2026-11-29T10:00:01.000Z"]).status).toBe(1);
  });

  it("waits (status 1, not a crash) while the sidecar has written no file, no sample, or half a line", () => {
    expect(covers(END, null)).toEqual({ status: 1, stderr: `telemetry-covers-run: ${telemetry}: no sample yet\n` });
    expect(covers(END, [])).toEqual({ status: 1, stderr: `telemetry-covers-run: ${telemetry}: no sample yet\n` });
    covers(END, ["2026-11-29T10:00:09.000Z"]);
    fs.appendFileSync(telemetry, '{"time":"2026-11-29T10:00:1');
    const half = script();
    expect(half.status).toBe(1);
    expect(half.stderr).toContain("is not after the run's end");
  });

  it("stops at once (status 2) on a run.json that no wait mends, naming it", () => {
    fs.writeFileSync(run, "{not json");
    const broken = script();
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(new RegExp(`^telemetry-covers-run: ${run}: cannot read the run's end \\(.+\\)\\n$`));
    fs.writeFileSync(run, JSON.stringify({ end: "soon" }));
    expect(script()).toEqual({ status: 2, stderr: `telemetry-covers-run: ${run}: "end" is not a time\n` });
  });
});
