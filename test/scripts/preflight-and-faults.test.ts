import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BoardTuning, preflightStep, tuningSteps } from "../../components/jetson-node/steps";
import type { HostStep } from "../../components/remote/remote-step";
import { SimBoard, boardShellOk, runStep, snapshot, startSshd, stopBoards, stopSshd } from "../sim/boards";
import { freshBoards, skipReason, stepFails, stepOk } from "./support";

const spec = { name: "faults-nano", index: 3, kind: "nano", l4t: "R32.7.1" } as const;
const tuning: BoardTuning = {
  board: "nano",
  powerMode: 1,
  jetsonClocks: true,
  fan: "max",
  swapMb: 0,
  headless: false,
  dockerDefaultRuntime: false,
  minFreeDiskMb: 1024,
  installsK3s: true,
};

function withEnv(step: HostStep, env: Record<string, string>): HostStep {
  return { ...step, env: { ...step.env, ...env } };
}

const powerMode = (): HostStep => {
  const step = tuningSteps(tuning).find((candidate) => candidate.name === "power-mode");
  if (step === undefined) throw new Error("no power-mode step");
  return step;
};

describe.skipIf(skipReason !== undefined)("preflight failures and unreachable or misconfigured boards", () => {
  let board: SimBoard;
  beforeAll(async () => {
    [board] = await freshBoards([spec]);
  });
  afterAll(async () => {
    await stopBoards([spec]);
  });
  beforeEach(async () => {
    // Every test starts from the board as sim-board.sh made it.
    await startSshd(board);
    await boardShellOk(
      board,
      "touch /dev/nvhost-gpu /dev/nvhost-ctrl-gpu && test -f /etc/nv_tegra_release || echo '# R32 (release), REVISION: 7.1, GCID: 0, BOARD: t210ref, EABI: aarch64, DATE: x' >/etc/nv_tegra_release",
    );
  });

  it("refuses an L4T release the board kind does not support, naming both and the JetPack to flash", async () => {
    const message = await stepFails(board, withEnv(preflightStep(tuning), { EDGECALL_L4T_ALLOWED: "R35 R36" }));
    expect(message).toBe(
      `edgecall: ${spec.name}: preflight: L4T R32.7.1 found in /etc/nv_tegra_release but a nano board needs R35 or R36: reflash JetPack 5.1.x or JetPack 6.x or fix nodes[].board`,
    );
  });

  it("accepts a release by whole components only (R32.7 matches R32.7.1, R32.1 does not)", async () => {
    expect((await stepOk(board, withEnv(preflightStep(tuning), { EDGECALL_L4T_ALLOWED: "R32.7" }), "apply")).facts.l4t).toBe("R32.7.1");
    const message = await stepFails(board, withEnv(preflightStep(tuning), { EDGECALL_L4T_ALLOWED: "R32.1 R3" }));
    expect(message).toContain("L4T R32.7.1 found in /etc/nv_tegra_release but a nano board needs R32.1 or R3");
  });

  it("refuses a board whose model does not match the configured kind", async () => {
    const message = await stepFails(board, preflightStep({ ...tuning, board: "orin" }));
    expect(message).toContain("L4T R32.7.1 found");
    const modelOnly = withEnv(preflightStep({ ...tuning, board: "orin" }), { EDGECALL_L4T_ALLOWED: "R32.7" });
    expect(await stepFails(board, modelOnly)).toBe(
      `edgecall: ${spec.name}: preflight: board model 'NVIDIA Jetson Nano Developer Kit' (from /sys/firmware/devicetree/base/model) is not a orin board (expected 'Orin' in it): fix nodes[].board`,
    );
  });

  it("refuses a board without enough free disk", async () => {
    const message = await stepFails(board, withEnv(preflightStep(tuning), { EDGECALL_MIN_FREE_MB: "999999999" }));
    expect(message).toMatch(
      new RegExp(`^edgecall: ${spec.name}: preflight: only \\d+ MB free on / but at least 999999999 MB are needed: free disk space or lower the minimum$`),
    );
  });

  it("refuses a board without GPU device nodes, naming the nodes it looked for", async () => {
    await boardShellOk(board, "rm -f /dev/nvhost-gpu /dev/nvhost-ctrl-gpu");
    expect(await stepFails(board, preflightStep(tuning))).toBe(
      `edgecall: ${spec.name}: preflight: no GPU device node found (looked for /dev/nvhost-gpu, /dev/nvhost-ctrl-gpu, /dev/nvgpu/igpu0/ctrl): check the L4T install / nvgpu driver`,
    );
  });

  it("refuses a host that is not a Jetson", async () => {
    await boardShellOk(board, "rm /etc/nv_tegra_release");
    expect(await stepFails(board, preflightStep(tuning))).toBe(
      `edgecall: ${spec.name}: preflight: /etc/nv_tegra_release not found: this host is not an NVIDIA Jetson running L4T; check nodes[].host`,
    );
  });

  it("fails on a board a fan step cannot drive", async () => {
    const fan = tuningSteps(tuning).find((candidate) => candidate.name === "fan");
    if (fan === undefined) throw new Error("no fan step");
    await boardShellOk(board, "mv /sys/devices/pwm-fan/target_pwm /sys/devices/pwm-fan/target_pwm.away");
    try {
      expect(await stepFails(board, fan)).toBe(
        `edgecall: ${spec.name}: fan: this board has no PWM fan control (/sys/devices/pwm-fan/target_pwm not found): set power.fan to auto for it`,
      );
      expect((await stepOk(board, withEnv(fan, { EDGECALL_FAN: "auto" }), "apply")).changed).toBe(false);
    } finally {
      await boardShellOk(board, "mv /sys/devices/pwm-fan/target_pwm.away /sys/devices/pwm-fan/target_pwm");
    }
  });

  it("refuses a board that holds another cluster's state, naming the paths, and changes nothing", async () => {
    await boardShellOk(board, "mkdir -p /var/lib/kubelet/pods /etc/rancher/k3s && echo 'token: the-lab-s-own' >/etc/rancher/k3s/config.yaml");
    try {
      const before = await snapshot(board);
      expect(await stepFails(board, preflightStep(tuning))).toBe(
        `edgecall: ${spec.name}: preflight: this board already has a cluster that edgecall did not install (/etc/rancher/k3s, /var/lib/kubelet), which K3s's uninstall would delete on 'pulumi destroy': use that cluster with k3s.existing.kubeconfig, or remove it (or move those paths away) first`,
      );
      expect(await snapshot(board)).toEqual(before);
      // With k3s.existing the cluster is the point: nothing to refuse.
      expect((await stepOk(board, preflightStep({ ...tuning, installsK3s: false }), "apply")).changed).toBe(false);
      // State under a config.yaml edgecall's k3s-install wrote is edgecall's own, from an earlier up.
      await boardShellOk(board, "echo '# Written by edgecall (k3s-install); changes are overwritten by the next pulumi up.' >/etc/rancher/k3s/config.yaml");
      expect((await stepOk(board, preflightStep(tuning), "apply")).changed).toBe(false);
    } finally {
      await boardShellOk(board, "rm -rf /var/lib/kubelet /etc/rancher");
    }
  });

  it("reports an unreachable board with its address, and reaches it again once sshd is back", async () => {
    await stopSshd(board);
    const result = await runStep(board, preflightStep(tuning), "apply");
    expect(result.code).toBe(255);
    expect(result.stderr.trim()).toBe(`ssh: connect to host ${board.host} port 22: Connection refused`);
    await startSshd(board);
    expect((await stepOk(board, preflightStep(tuning), "apply")).changed).toBe(false);
  });

  it("stops at a wrong sudo password with the wrapper's message, changing nothing and echoing no password", async () => {
    const before = await snapshot(board);
    const wrong = "not-the-Password-42";
    const result = await runStep(board, powerMode(), "apply", { sudoPassword: wrong });
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim()).toBe(
      `edgecall: ${spec.name}: power-mode: sudo refused the password of user jetson; check ssh.sudoPassword (set it with 'pulumi config set --secret --path edgecall:ssh.sudoPassword')`,
    );
    for (const output of [result.stdout, result.stderr]) {
      expect(output).not.toContain(wrong);
      expect(output).not.toContain(board.sudoPassword);
    }
    expect(await snapshot(board)).toEqual(before);
    expect(await boardShellOk(board, "nvpmodel -q | tail -n 1")).toBe("0\n");
  });

  it("says how to give a password when sudo needs one and none was configured", async () => {
    const result = await runStep(board, powerMode(), "apply", { sudoPassword: null });
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim()).toBe(
      `edgecall: ${spec.name}: power-mode: sudo asks user jetson for a password; set one with 'pulumi config set --secret --path edgecall:ssh.sudoPassword' or allow NOPASSWD for this user`,
    );
  });
});
