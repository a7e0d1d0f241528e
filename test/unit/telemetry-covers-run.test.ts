import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, describe, expect, it } from "vitest";

const SCRIPT = path.join(__dirname, "..", "..", "components", "benchmark-run", "pod-scripts", "telemetry-covers-run.js");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-covers-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs the pod script on a run.json ending at `end` and telemetry samples at `times`; its exit status. */
function covers(end: string, times: string[]): number | null {
  const run = path.join(tmp, "run.json");
  const telemetry = path.join(tmp, "telemetry.jsonl");
  fs.writeFileSync(run, JSON.stringify({ start: "2026-11-29T10:00:00.000Z", end }));
  fs.writeFileSync(telemetry, times.map((time) => JSON.stringify({ time, rails: {} })).join("\n") + "\n");
  return spawnSync(process.execPath, [SCRIPT, run, telemetry], { encoding: "utf8" }).status;
}

describe("evaluate's wait for telemetry that covers the timed window (pod-scripts/telemetry-covers-run.js)", () => {
  it("succeeds only once the last sample is later than the window's end", () => {
    const end = "2026-11-29T10:00:10.000Z";
    expect(covers(end, ["2026-11-29T10:00:09.000Z", "2026-11-29T10:00:10.500Z"])).toBe(0);
    expect(covers(end, ["2026-11-29T10:00:09.000Z", "2026-11-29T10:00:10.000Z"])).toBe(1);
    expect(covers(end, ["2026-11-29T10:00:01.000Z"])).toBe(1);
  });

  it("fails while the sidecar has written no sample yet", () => {
    expect(covers("2026-11-29T10:00:10.000Z", [])).not.toBe(0);
  });
});
