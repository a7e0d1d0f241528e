import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BoardTuning, tuningSteps } from "../../components/jetson-node/steps";
import type { HostStep } from "../../components/remote/remote-step";
import { SimBoard, boardShellOk, snapshot, stopBoards } from "../sim/boards";
import { expectIdempotentCycle, freshBoards, skipReason, stepFails, stepOk } from "./support";

const spec = { name: "edges-orin", index: 4, kind: "orin", l4t: "R35.4.1" } as const;
const tuning: BoardTuning = {
  board: "orin",
  powerMode: 3,
  jetsonClocks: false,
  fan: "auto",
  swapMb: 8,
  headless: false,
  dockerDefaultRuntime: true,
  minFreeDiskMb: 1024,
  installsK3s: true,
};

function step(name: string, env: Record<string, string> = {}): HostStep {
  const found = tuningSteps(tuning).find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no ${name} step`);
  return { ...found, env: { ...found.env, ...env } };
}

const dockerRestarts = (board: SimBoard) =>
  boardShellOk(board, "grep -c '^restart docker' /var/log/edgecall-sim/systemctl.log || true");

describe.skipIf(skipReason !== undefined)("host steps: existing configuration and changed settings", () => {
  let board: SimBoard;
  beforeAll(async () => {
    [board] = await freshBoards([spec]);
  });
  afterAll(async () => {
    await stopBoards([spec]);
  });

  it("docker-runtime keeps every existing daemon.json key and restores the original bytes", async () => {
    // Odd spacing and key order on purpose: only a byte-for-byte copy gets them back.
    const original = '{"log-driver":"json-file",  "log-opts": {"max-size": "10m"},\n "runtimes": {"nvidia": {"path": "/usr/bin/old-runtime", "runtimeArgs": ["--debug"]}, "crun": {"path": "/usr/bin/crun"}},\n"data-root":"/mnt/docker"}';
    await boardShellOk(board, "cat >/etc/docker/daemon.json && chmod 640 /etc/docker/daemon.json", original);
    const restartsBefore = Number(await dockerRestarts(board));
    await expectIdempotentCycle(board, step("docker-runtime"), {
      afterApply: async () => {
        const config = JSON.parse(await boardShellOk(board, "cat /etc/docker/daemon.json")) as Record<string, unknown>;
        expect(config).toEqual({
          "log-driver": "json-file",
          "log-opts": { "max-size": "10m" },
          runtimes: { nvidia: { path: "nvidia-container-runtime", runtimeArgs: ["--debug"] }, crun: { path: "/usr/bin/crun" } },
          "data-root": "/mnt/docker",
          "default-runtime": "nvidia",
        });
        expect(await boardShellOk(board, "stat -c %a /etc/docker/daemon.json")).toBe("640\n");
      },
    });
    expect(await boardShellOk(board, "cat /etc/docker/daemon.json")).toBe(original);
    // Restarted once by the first apply and once by the first delete; the no-op runs left Docker alone.
    expect(Number(await dockerRestarts(board)) - restartsBefore).toBe(2);
  });

  it("docker-runtime creates daemon.json where there was none and delete removes it again", async () => {
    await boardShellOk(board, "rm -rf /etc/docker");
    await expectIdempotentCycle(board, step("docker-runtime"), {
      afterApply: async () => {
        expect(JSON.parse(await boardShellOk(board, "cat /etc/docker/daemon.json"))).toEqual({
          runtimes: { nvidia: { path: "nvidia-container-runtime", runtimeArgs: [] } },
          "default-runtime": "nvidia",
        });
      },
    });
    expect(await boardShellOk(board, "test -e /etc/docker && echo present || echo gone")).toBe("gone\n");
  });

  it("docker-runtime refuses a daemon.json that is not JSON and changes nothing", async () => {
    await boardShellOk(board, "mkdir -p /etc/docker && printf '{\"log-driver\": json-file' >/etc/docker/daemon.json");
    const before = await snapshot(board);
    expect(await stepFails(board, step("docker-runtime"))).toBe(
      `edgecall: ${spec.name}: docker-runtime: /etc/docker/daemon.json is not a valid JSON object; fix or remove it, then retry (nothing was changed)`,
    );
    expect(await snapshot(board)).toEqual(before);
    await boardShellOk(board, "rm -rf /etc/docker");
  });

  it("swap keeps an fstab without a final newline byte-identical", async () => {
    await boardShellOk(board, "printf 'proc /proc proc defaults 0 0' >/etc/fstab");
    await expectIdempotentCycle(board, step("swap"), {
      afterApply: async () => {
        expect(await boardShellOk(board, "cat /etc/fstab")).toBe("proc /proc proc defaults 0 0\n/edgecall.swap none swap sw 0 0 # edgecall\n");
      },
    });
    expect(await boardShellOk(board, "cat /etc/fstab")).toBe("proc /proc proc defaults 0 0");
  });

  it("swap recreates the file when the size changes, and size 0 removes it", async () => {
    expect((await stepOk(board, step("swap"), "apply")).changed).toBe(true);
    expect((await stepOk(board, step("swap", { EDGECALL_SWAP_MB: "4" }), "apply")).changed).toBe(true);
    expect(await boardShellOk(board, "stat -c %s /edgecall.swap; swapon --show=NAME --noheadings; grep -c edgecall /etc/fstab")).toBe(
      `${4 * 1048576}\n/edgecall.swap\n1\n`,
    );
    expect((await stepOk(board, step("swap", { EDGECALL_SWAP_MB: "4" }), "apply")).changed).toBe(false);
    expect((await stepOk(board, step("swap", { EDGECALL_SWAP_MB: "0" }), "apply")).changed).toBe(true);
    expect(await boardShellOk(board, "test -e /edgecall.swap && echo present || echo gone; swapon --show=NAME --noheadings; cat /etc/fstab")).toBe(
      "gone\nproc /proc proc defaults 0 0",
    );
    expect((await stepOk(board, step("swap", { EDGECALL_SWAP_MB: "0" }), "apply")).changed).toBe(false);
  });

  it("power-mode keeps the first original mode across changes of the wanted mode", async () => {
    expect((await stepOk(board, step("power-mode"), "apply")).facts.power_mode_name).toBe("MODE_50W");
    expect((await stepOk(board, step("power-mode", { EDGECALL_NVPMODEL_MODE: "1" }), "apply")).facts.power_mode_id).toBe("1");
    const restored = await stepOk(board, step("power-mode"), "delete");
    expect(restored.facts).toEqual({ power_mode_id: "0", power_mode_name: "MAXN" });
  });

  it("power-mode names a mode the board does not have", async () => {
    const before = await snapshot(board);
    expect(await stepFails(board, step("power-mode", { EDGECALL_NVPMODEL_MODE: "9" }))).toBe(
      `edgecall: ${spec.name}: power-mode: 'nvpmodel -m 9' failed (NVPM ERROR: Invalid mode 9): check that power mode 9 exists for this board (see /etc/nvpmodel.conf) and fix power.nvpmodel`,
    );
    // The original mode was stored before the attempt; delete clears it again.
    await stepOk(board, step("power-mode"), "delete");
    expect(await snapshot(board)).toEqual(before);
  });

  it("headless with false and fan auto change nothing on a board edgecall never touched", async () => {
    const before = await snapshot(board);
    expect((await stepOk(board, step("headless"), "apply")).changed).toBe(false);
    expect((await stepOk(board, step("fan"), "apply")).changed).toBe(false);
    expect((await stepOk(board, step("clocks"), "apply")).changed).toBe(false);
    expect(await snapshot(board)).toEqual(before);
  });
});
