import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BoardTuning, preflightStep, tuningSteps } from "../../components/jetson-node/steps";
import type { HostStep } from "../../components/remote/remote-step";
import { SimBoard, boardShellOk, snapshot, stopBoards } from "../sim/boards";
import { expectIdempotentCycle, freshBoards, skipReason, stepCheck, stepOk } from "./support";

// Each board kind the product supports at both ends of its JetPack range.
const boardSpecs = [
  { name: "steps-nano", index: 1, kind: "nano", l4t: "R32.7.1" },
  { name: "steps-orin", index: 2, kind: "orin", l4t: "R36.3.0" },
] as const;

const tunings: Record<string, BoardTuning> = {
  "steps-nano": {
    board: "nano",
    powerMode: 1,
    jetsonClocks: true,
    fan: "max",
    swapMb: 16,
    headless: true,
    dockerDefaultRuntime: true,
    minFreeDiskMb: 1024,
    installsK3s: true,
  },
  "steps-orin": {
    board: "orin",
    powerMode: 2,
    jetsonClocks: true,
    fan: 128,
    swapMb: 8,
    headless: true,
    dockerDefaultRuntime: true,
    minFreeDiskMb: 1024,
    installsK3s: true,
  },
};

function tuningStep(board: SimBoard, name: string): HostStep {
  const step = tuningSteps(tunings[board.name]).find((candidate) => candidate.name === name);
  if (step === undefined) throw new Error(`no ${name} step for ${board.name}`);
  return step;
}

describe.skipIf(skipReason !== undefined).each(boardSpecs)("host steps on a simulated $kind on $l4t", (spec) => {
  let board: SimBoard;
  beforeAll(async () => {
    [board] = await freshBoards([spec]);
  });
  afterAll(async () => {
    await stopBoards([spec]);
  });

  it("preflight reports the board and changes nothing", async () => {
    const before = await snapshot(board);
    const { facts, changed } = await stepOk(board, preflightStep(tunings[spec.name]), "apply");
    expect(changed).toBe(false);
    expect(facts.l4t).toBe(spec.l4t);
    expect(facts.model).toContain(spec.kind === "nano" ? "Jetson Nano" : "Orin");
    expect(facts.power_mode_id).toBe("0");
    expect(facts.power_mode_name).toBe("MAXN");
    expect(Number(facts.free_mb)).toBeGreaterThan(1024);
    expect((await stepOk(board, preflightStep(tunings[spec.name]), "delete")).changed).toBe(false);
    expect(await snapshot(board)).toEqual(before);
  });

  it("power-mode sets the nvpmodel mode and delete restores the one found before", async () => {
    const step = tuningStep(board, "power-mode");
    const facts = await expectIdempotentCycle(board, step, {
      afterApply: async () => {
        expect(await boardShellOk(board, "nvpmodel -q | tail -n 1")).toBe(`${tunings[spec.name].powerMode}\n`);
      },
    });
    expect(facts.power_mode_id).toBe(String(tunings[spec.name].powerMode));
    expect(facts.power_mode_name).toBe(spec.kind === "nano" ? "5W" : "MODE_30W");
    expect(await boardShellOk(board, "nvpmodel -q | tail -n 1")).toBe("0\n");
  });

  it("clocks pins the clocks with jetson_clocks and delete restores the stored settings", async () => {
    const minFreq = "cat /sys/devices/system/cpu/cpu0/cpufreq/scaling_min_freq";
    await expectIdempotentCycle(board, tuningStep(board, "clocks"), {
      afterApply: async () => {
        expect(await boardShellOk(board, minFreq)).toBe("1479000\n");
      },
    });
    expect(await boardShellOk(board, minFreq)).toBe("102000\n");
  });

  it("fan sets the PWM target and delete restores the value found before", async () => {
    const wanted = tunings[spec.name].fan === "max" ? "255" : String(tunings[spec.name].fan);
    await expectIdempotentCycle(board, tuningStep(board, "fan"), {
      afterApply: async () => {
        expect(await boardShellOk(board, "cat /sys/devices/pwm-fan/target_pwm")).toBe(`${wanted}\n`);
      },
    });
    expect(await boardShellOk(board, "cat /sys/devices/pwm-fan/target_pwm")).toBe("0\n");
  });

  it("swap adds an active swap file with an fstab line and delete removes both", async () => {
    const fstabBefore = await boardShellOk(board, "cat /etc/fstab");
    await expectIdempotentCycle(board, tuningStep(board, "swap"), {
      afterApply: async () => {
        expect(await boardShellOk(board, "swapon --show=NAME --noheadings")).toBe("/edgecall.swap\n");
        expect(await boardShellOk(board, "stat -c '%s %a' /edgecall.swap")).toBe(`${tunings[spec.name].swapMb * 1048576} 600\n`);
        expect(await boardShellOk(board, "cat /etc/fstab")).toBe(`${fstabBefore}/edgecall.swap none swap sw 0 0 # edgecall\n`);
      },
    });
    expect(await boardShellOk(board, "swapon --show=NAME --noheadings")).toBe("");
    expect(await boardShellOk(board, "cat /etc/fstab")).toBe(fstabBefore);
  });

  it("headless sets multi-user.target and delete restores the previous default", async () => {
    await expectIdempotentCycle(board, tuningStep(board, "headless"), {
      afterApply: async () => {
        expect(await boardShellOk(board, "systemctl get-default")).toBe("multi-user.target\n");
      },
    });
    expect(await boardShellOk(board, "systemctl get-default")).toBe("graphical.target\n");
  });

  it("docker-runtime makes nvidia the default runtime and delete restores daemon.json", async () => {
    const original = await boardShellOk(board, "cat /etc/docker/daemon.json");
    await expectIdempotentCycle(board, tuningStep(board, "docker-runtime"), {
      afterApply: async () => {
        const config = JSON.parse(await boardShellOk(board, "cat /etc/docker/daemon.json")) as Record<string, unknown>;
        expect(config["default-runtime"]).toBe("nvidia");
        expect(config.runtimes).toEqual({ nvidia: { path: "nvidia-container-runtime", runtimeArgs: [] } });
      },
    });
    expect(await boardShellOk(board, "cat /etc/docker/daemon.json")).toBe(original);
  });

  it("finds a setting changed by hand, repairs it, and still restores what was there before edgecall", async () => {
    const before = await snapshot(board);
    const steps = tuningSteps(tunings[spec.name]);
    for (const step of steps) await stepOk(board, step, "apply");
    // By hand, after the tuning, to values that were neither there before nor wanted (a Nano has
    // only modes 0 and 1, so its power mode goes back to the original).
    const mode = spec.kind === "nano" ? 0 : 3;
    await boardShellOk(board, `nvpmodel -m ${mode} && echo 77 >/sys/devices/pwm-fan/target_pwm && systemctl set-default rescue.target 2>/dev/null`);
    const verdicts = Object.fromEntries(await Promise.all(steps.map(async (step) => [step.name, (await stepCheck(board, step)).inSync] as const)));
    expect(verdicts).toEqual({ "power-mode": false, clocks: true, fan: false, swap: true, headless: false, "docker-runtime": true });
    for (const step of steps.filter((s) => !verdicts[s.name])) expect((await stepOk(board, step, "apply")).changed).toBe(true);
    for (const step of steps) expect((await stepCheck(board, step)).inSync, step.name).toBe(true);
    for (const step of [...steps].reverse()) await stepOk(board, step, "delete");
    expect(await snapshot(board)).toEqual(before);
  });

  it("leaves no state directory once every step is deleted", async () => {
    const steps = tuningSteps(tunings[spec.name]);
    for (const step of steps) expect((await stepOk(board, step, "apply")).changed).toBe(true);
    expect(await boardShellOk(board, "ls /var/lib/edgecall | sort")).toBe(
      ["daemon.json.orig", "default-target.orig", "fan.orig", "jetson_clocks.conf", "nvpmodel.orig"].join("\n") + "\n",
    );
    for (const step of [...steps].reverse()) expect((await stepOk(board, step, "delete")).changed).toBe(true);
    expect(await boardShellOk(board, "test -e /var/lib/edgecall && echo present || echo gone")).toBe("gone\n");
  });
});
