import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { waitFor } from "../helpers/wait-for";
import { skipReason } from "./support";

// A sim directory of its own: the tier running this file holds the real one.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-lock-"));
type RunLock = typeof import("../sim/run-lock");
let lock: RunLock;

describe.skipIf(skipReason !== undefined)("one test run at a time on each of a machine's simulated boards (test/sim/run-lock.ts)", () => {
  const messages: string[] = [];
  beforeAll(async () => {
    vi.stubEnv("EDGECALL_SIM_DIR", dir);
    vi.resetModules();
    lock = await import("../sim/run-lock");
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      messages.push(String(chunk));
      return true;
    });
  });
  afterAll(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("makes a second run wait, saying who holds the boards, until the first lets go", async () => {
    const first = await lock.holdSimBoards("the first run", [1, 2, 3]);
    let secondHeld = false;
    const second = lock.holdSimBoards("the second run", [3, 4]).then((held) => {
      secondHeld = true;
      return held;
    });
    await waitFor("the second run to say it waits", 10, () => messages.some((m) => m.includes("in use by the first run")), 100);
    expect(messages.join("")).toContain(`the second run: the simulated boards under ${dir} are in use by the first run (pid ${process.pid}`);
    expect(secondHeld).toBe(false);
    first.release();
    (await second).release();
    expect(secondHeld).toBe(true);
  });

  it("lets runs on other boards hold theirs at the same time", async () => {
    const first = await lock.holdSimBoards("the scripts tier", [1, 2]);
    const second = await Promise.race([
      lock.holdSimBoards("the e2e tier", [10, 11]),
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 30_000)),
    ]);
    expect(second).toBeDefined();
    second?.release();
    first.release();
  });

  it("takes down the boards a killed run left behind at its own indexes, once it holds them", async () => {
    fs.mkdirSync(path.join(dir, "left-behind"));
    fs.writeFileSync(path.join(dir, "left-behind", "index"), "61\n");
    fs.mkdirSync(path.join(dir, "someone-elses"));
    fs.writeFileSync(path.join(dir, "someone-elses", "index"), "60\n");
    fs.mkdirSync(path.join(dir, "not-a-board"));
    const held = await lock.holdSimBoards("a later run", [61]);
    held.release();
    expect(fs.existsSync(path.join(dir, "left-behind"))).toBe(false);
    expect(fs.existsSync(path.join(dir, "someone-elses", "index"))).toBe(true);
    expect(fs.existsSync(path.join(dir, "not-a-board"))).toBe(true);
    expect(messages.join("")).toContain("a later run: taking down boards a killed run left behind: left-behind\n");
  });

  it("refuses to take down the boards `npm run sim:up` left running, but lets sim:up and sim:down hold them", async () => {
    fs.mkdirSync(path.join(dir, "sim-server"));
    fs.writeFileSync(path.join(dir, "sim-server", "index"), "62\n");
    fs.writeFileSync(lock.SIM_UP_MARKER, "sim-server\n");
    await expect(lock.holdSimBoards("the e2e tier", [62])).rejects.toThrow(
      "the boards of `npm run sim:up` are running (sim-server); run `npm run sim:down` before the e2e tier, which would take them down",
    );
    // The refusal let go of the lock, and sim:down may hold the boards without taking them down first.
    const down = await lock.holdSimBoards("npm run sim:down", [62], { simUp: true });
    down.release();
    expect(fs.existsSync(path.join(dir, "sim-server", "index"))).toBe(true);
  });
});
