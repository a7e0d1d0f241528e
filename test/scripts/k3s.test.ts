import * as fs from "fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AIRGAP_REMOTE_DIR, K3sInstall, installStep, kubeconfigStep } from "../../components/k3s/install-step";
import { SimBoard, boardShellOk, copyToBoard, simAirgapDir, snapshot, stopBoards } from "../sim/boards";
import { expectIdempotentCycle, freshBoards, skipReason, stepFails, stepOk } from "./support";

const serverSpec = { name: "k3s-server", index: 5, kind: "nano", l4t: "R32.7.1" } as const;
const agentSpec = { name: "k3s-agent", index: 6, kind: "orin", l4t: "R36.3.0" } as const;
const VERSION = "v1.30.6+k3s1";
const token = `K10sim${Math.random().toString(16).slice(2)}::server:${Math.random().toString(16).slice(2)}`;

/** Command lines of every process on the machine that contain `needle` (the boards share the host's pid space). */
function processesShowing(needle: string): string[] {
  const hits: string[] = [];
  for (const pid of fs.readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
      if (cmdline.includes(needle)) hits.push(`${pid}: ${cmdline.slice(0, 200)}`);
    } catch {
      // The process ended while we looked.
    }
  }
  return hits;
}

/** Samples `ps`-visible command lines while `work` runs, collecting any that show `needle`. */
async function watchProcesses<T>(needle: string, work: () => Promise<T>): Promise<{ value: T; hits: string[] }> {
  const hits: string[] = [];
  const timer = setInterval(() => hits.push(...processesShowing(needle)), 5);
  try {
    return { value: await work(), hits };
  } finally {
    clearInterval(timer);
  }
}

describe.skipIf(skipReason !== undefined)("K3s air-gap install and uninstall", () => {
  let server: SimBoard;
  let agent: SimBoard;
  let serverInstall: K3sInstall;
  let agentInstall: K3sInstall;
  const secrets = { K3S_TOKEN: token };

  beforeAll(async () => {
    [server, agent] = await freshBoards([serverSpec, agentSpec]);
    for (const board of [server, agent]) await copyToBoard(board, simAirgapDir, AIRGAP_REMOTE_DIR);
    serverInstall = {
      role: "server",
      version: VERSION,
      runtime: "docker",
      source: "airgap",
      nodeName: "nano-1",
      labels: { "edgecall.io/board": "nano", "edgecall.io/model": "sacall" },
      tlsSan: server.host,
      extraArgs: ["--disable=traefik", "--disable=servicelb", "--write-kubeconfig-mode=600"],
    };
    agentInstall = {
      role: "agent",
      version: VERSION,
      runtime: "containerd",
      source: "airgap",
      nodeName: "orin-1",
      labels: { "edgecall.io/board": "orin" },
      serverUrl: `https://${server.host}:6443`,
      extraArgs: [],
    };
  });
  afterAll(async () => {
    await stopBoards([serverSpec, agentSpec]);
  });

  it("installs a server from the air-gap files, with its token only in a mode-600 config.yaml", async () => {
    const { hits } = await watchProcesses(token, () =>
      expectIdempotentCycle(server, installStep(serverInstall), {
        secrets,
        afterApply: async () => {
          expect(await boardShellOk(server, "stat -c '%a %U' /etc/rancher/k3s/config.yaml")).toBe("600 root\n");
          expect(await boardShellOk(server, "cat /etc/rancher/k3s/config.yaml")).toBe(
            [
              "# Written by edgecall (k3s-install); changes are overwritten by the next 'pulumi up'.",
              `token: "${token}"`,
              'node-name: "nano-1"',
              "node-label:",
              '  - "edgecall.io/board=nano"',
              '  - "edgecall.io/model=sacall"',
              "docker: true",
              "tls-san:",
              `  - "${server.host}"`,
              "disable:",
              '  - "traefik"',
              '  - "servicelb"',
              'write-kubeconfig-mode: "600"',
              "",
            ].join("\n"),
          );
          expect(await boardShellOk(server, "k3s --version | head -n 1")).toBe(`k3s version ${VERSION} (1829eaae)\n`);
          expect(await boardShellOk(server, "systemctl is-active k3s; ls /var/lib/rancher/k3s/agent/images")).toBe(
            "active\nk3s-airgap-images.tar.zst\n",
          );
          const kubeconfig = await stepOk(server, kubeconfigStep(), "apply");
          expect(kubeconfig.changed).toBe(false);
          expect(Buffer.from(kubeconfig.facts.kubeconfig_b64, "base64").toString("utf8")).toContain("server: https://127.0.0.1:6443");
        },
      }),
    );
    expect(hits).toEqual([]);
    const leftovers = "/usr/local/bin/k3s /usr/local/bin/kubectl /usr/local/bin/k3s-uninstall.sh /usr/local/bin/k3s-killall.sh /etc/rancher /var/lib/rancher /etc/systemd/system/k3s.service";
    expect(await boardShellOk(server, `for path in ${leftovers}; do test ! -e $path || echo $path; done`)).toBe("");
  });

  it("installs an agent pointed at the server and uninstalls it with the agent's script", async () => {
    const { hits } = await watchProcesses(token, () =>
      expectIdempotentCycle(agent, installStep(agentInstall), {
        secrets,
        afterApply: async () => {
          expect(await boardShellOk(agent, "cat /etc/rancher/k3s/config.yaml")).toBe(
            [
              "# Written by edgecall (k3s-install); changes are overwritten by the next 'pulumi up'.",
              `token: "${token}"`,
              `server: "https://${server.host}:6443"`,
              'node-name: "orin-1"',
              "node-label:",
              '  - "edgecall.io/board=orin"',
              "",
            ].join("\n"),
          );
          expect(await boardShellOk(agent, "systemctl is-active k3s-agent; ls /usr/local/bin | grep uninstall")).toBe(
            "active\nk3s-agent-uninstall.sh\n",
          );
        },
      }),
    );
    expect(hits).toEqual([]);
  });

  it("reinstalls when the configuration changes, restarting K3s", async () => {
    const restarts = "grep -c '^restart k3s.service' /var/log/edgecall-sim/systemctl.log || true";
    expect((await stepOk(server, installStep(serverInstall), "apply", secrets)).changed).toBe(true);
    const restartsBefore = Number(await boardShellOk(server, restarts));
    const relabelled = { ...serverInstall, labels: { ...serverInstall.labels, "edgecall.io/model": "rodan" } };
    expect((await stepOk(server, installStep(relabelled), "apply", secrets)).changed).toBe(true);
    expect(await boardShellOk(server, "grep -c edgecall.io/model=rodan /etc/rancher/k3s/config.yaml")).toBe("1\n");
    expect(Number(await boardShellOk(server, restarts))).toBe(restartsBefore + 1);
    expect((await stepOk(server, installStep(relabelled), "apply", secrets)).changed).toBe(false);
    expect(Number(await boardShellOk(server, restarts))).toBe(restartsBefore + 1);
    expect((await stepOk(server, installStep(relabelled), "delete", secrets)).changed).toBe(true);
  });

  it("refuses air-gap files of another K3s version and a missing token", async () => {
    const before = await snapshot(agent);
    const other = installStep({ ...agentInstall, version: "v1.31.2+k3s1" });
    expect(await stepFails(agent, other, "apply", secrets)).toBe(
      `edgecall: ${agentSpec.name}: k3s-agent: the air-gap binary ${AIRGAP_REMOTE_DIR}/k3s is 'k3s version ${VERSION} (1829eaae)', not v1.31.2+k3s1: make k3s.version and the air-gap files agree`,
    );
    expect((await stepOk(agent, other, "delete")).changed).toBe(true);
    expect(await snapshot(agent)).toEqual(before);
    expect(await stepFails(agent, installStep(agentInstall))).toBe(
      `edgecall: ${agentSpec.name}: k3s-agent: the K3s join token (secret K3S_TOKEN) was not passed on stdin`,
    );
    expect(await snapshot(agent)).toEqual(before);
  });

  it("times out waiting for a kubeconfig that never comes, saying where to look", async () => {
    const step = kubeconfigStep();
    expect(await stepFails(agent, { ...step, env: { ...step.env, EDGECALL_KUBECONFIG_WAIT_S: "1" } })).toBe(
      `edgecall: ${agentSpec.name}: k3s-kubeconfig: /etc/rancher/k3s/k3s.yaml did not appear within 1s: check 'systemctl status k3s' and 'journalctl -u k3s' on this board`,
    );
  });
});
