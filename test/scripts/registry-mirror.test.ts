import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registryMirrorStep } from "../../components/registry";
import { SimBoard, boardShellOk, stopBoards } from "../sim/boards";
import { expectIdempotentCycle, freshBoards, skipReason, stepFails, stepOk } from "./support";

const spec = { name: "mirror-orin", index: 7, kind: "orin", l4t: "R36.3.0" } as const;
const REGISTRY = "10.213.7.22:5000";
const RESTARTS = "cat /var/log/edgecall-sim/systemctl.log 2>/dev/null | grep -c '^restart' || true";

describe.skipIf(skipReason !== undefined)("registry-mirror step", () => {
  let board: SimBoard;

  beforeAll(async () => {
    [board] = await freshBoards([spec]);
    // As after a K3s install: the config directory and running k3s and docker services.
    await boardShellOk(
      board,
      "mkdir -p /etc/rancher/k3s && for u in k3s k3s-agent docker; do printf '[Unit]\\n' >/etc/systemd/system/$u.service; systemctl start $u; done",
    );
  });
  afterAll(() => stopBoards([spec]));

  it("containerd: writes a registries.yaml mirror, restarts k3s once, and delete removes it", async () => {
    const step = registryMirrorStep(REGISTRY, "containerd", "server");
    const restartsBefore = Number(await boardShellOk(board, RESTARTS));
    await expectIdempotentCycle(board, step, {
      afterApply: async () => {
        expect(await boardShellOk(board, "cat /etc/rancher/k3s/registries.yaml")).toBe(
          `# edgecall registry mirror\nmirrors:\n  "${REGISTRY}":\n    endpoint:\n      - "http://${REGISTRY}"\n`,
        );
        expect(await boardShellOk(board, "tail -n 1 /var/log/edgecall-sim/systemctl.log | cut -d' ' -f 1,2")).toBe("restart k3s.service\n");
      },
    });
    // apply and delete restarted; the unchanged runs did not.
    expect(Number(await boardShellOk(board, RESTARTS)) - restartsBefore).toBe(2);
  });

  it("containerd: leaves a registries.yaml of the user's alone when it already mirrors the registry, and refuses one that does not", async () => {
    await boardShellOk(board, `printf 'mirrors:\\n  "${REGISTRY}":\\n    endpoint: ["http://${REGISTRY}"]\\n' >/etc/rancher/k3s/registries.yaml`);
    const step = registryMirrorStep(REGISTRY, "containerd", "agent");
    expect((await stepOk(board, step, "apply")).changed).toBe(false);
    await boardShellOk(board, "printf 'mirrors:\\n  docker.io:\\n    endpoint: [\"https://mirror.lab\"]\\n' >/etc/rancher/k3s/registries.yaml");
    const before = await boardShellOk(board, "cat /etc/rancher/k3s/registries.yaml");
    expect(await stepFails(board, step)).toMatch(/registries\.yaml exists and is not edgecall's: add a mirror "10\.213\.7\.22:5000"/);
    expect(await boardShellOk(board, "cat /etc/rancher/k3s/registries.yaml")).toBe(before);
    await boardShellOk(board, "rm /etc/rancher/k3s/registries.yaml");
  });

  it("docker: adds the registry to insecure-registries keeping every other key, and delete restores daemon.json byte for byte", async () => {
    const original = await boardShellOk(board, "cat /etc/docker/daemon.json");
    await expectIdempotentCycle(board, registryMirrorStep(REGISTRY, "docker", "agent"), {
      afterApply: async () => {
        const config = JSON.parse(await boardShellOk(board, "cat /etc/docker/daemon.json")) as Record<string, unknown>;
        expect(config["insecure-registries"]).toEqual([REGISTRY]);
        const kept = JSON.parse(original) as Record<string, unknown>;
        for (const key of Object.keys(kept)) expect(config[key], key).toEqual(kept[key]);
        expect(await boardShellOk(board, "tail -n 1 /var/log/edgecall-sim/systemctl.log | cut -d' ' -f 1,2")).toBe("restart docker.service\n");
      },
    });
    expect(await boardShellOk(board, "cat /etc/docker/daemon.json")).toBe(original);
  });

  it("refuses to undo a file changed since it wrote it, and an address that is not host:port", async () => {
    const step = registryMirrorStep(REGISTRY, "containerd", "server");
    expect((await stepOk(board, step, "apply")).changed).toBe(true);
    await boardShellOk(board, "echo '# edited by hand' >>/etc/rancher/k3s/registries.yaml");
    expect(await stepFails(board, step, "delete")).toMatch(/registries\.yaml changed since edgecall wrote it/);
    await boardShellOk(board, "rm -f /etc/rancher/k3s/registries.yaml /var/lib/edgecall/registry-mirror.*; rmdir /var/lib/edgecall 2>/dev/null || true");
    expect(await stepFails(board, registryMirrorStep("reg.lab:5000; rm -rf /", "containerd", "server"))).toMatch(/must be host:port/);
  });
});
