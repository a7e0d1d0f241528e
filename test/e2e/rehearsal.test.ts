import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SimBoard, boardShellOk, snapshot, startBoards, startSshd, stopBoards, stopSshd } from "../sim/boards";
import { validateManifests } from "../manifests/validate";
import { SimProject } from "../sim/sim-project";
import { toolchainEnv } from "./toolchain/toolchain";
import { ProvisionRound, REHEARSAL_FIGURES, saveRound, timedPulumi } from "./helpers/provision-timing";
import {
  NOT_RENDERED,
  REHEARSAL_BOARDS,
  SIM_BOARDS,
  SPARE_BOARD,
  childrenOf,
  k3sConfig,
  k3sVersion,
  lastK3sStart,
  plannedChanges,
  rehearsalSkipReason,
  stackNode,
  stateOf,
  upChanges,
} from "./helpers/rehearsal";

const UP = ["up", "--yes", "--skip-preview", "-s", "sim"];
const NEXT_K3S = "v1.31.4+k3s1";

/** SSH logins the board's sshd has accepted so far (its log is outside the snapshots). */
async function logins(board: SimBoard): Promise<number> {
  return Number((await boardShellOk(board, "grep -c 'Accepted publickey' /var/log/edgecall-sim-sshd.log || true")).trim());
}

/**
 * Issues 5 and 9: `pulumi up`, drift, upgrade, a replaced board, an interrupted `up` and `pulumi
 * destroy` of the sim stack with the real Pulumi engine and providers, against simulated boards.
 * Tests run in order and share state.
 */
describe.skipIf(rehearsalSkipReason !== undefined)("rehearsal of the sim stack with the real Pulumi engine", () => {
  let boards: SimBoard[];
  let spare: SimBoard;
  let project: SimProject;
  const before: Record<string, Record<string, string>> = {};
  const stackBoards = (): SimBoard[] => boards;
  // The runs bench:provision times on four boards happen here anyway: their figures are kept for it.
  const timeline = path.join(os.tmpdir(), `edgecall-rehearsal-timeline-${process.pid}.jsonl`);
  const figures: Partial<ProvisionRound> = { boards: SIM_BOARDS.length };

  beforeAll(async () => {
    await stopBoards([...REHEARSAL_BOARDS, SPARE_BOARD]);
    boards = await startBoards(REHEARSAL_BOARDS);
    [spare] = await startBoards([SPARE_BOARD]);
    for (const board of [...boards, spare]) before[board.name] = await snapshot(board);
    project = new SimProject({ ...toolchainEnv(), EDGECALL_PROVIDER_TIMELINE: timeline });
    project.setNodeHosts(boards.map((b) => b.host));
    await project.initSimStack(fs.readFileSync(boards[0].keyPath, "utf8"), boards[0].sudoPassword, { render: true });
  });

  afterAll(async () => {
    if (project !== undefined) {
      await project.pulumi(["cancel", "--yes", "-s", "sim"]);
      await project.pulumi(["destroy", "--yes", "--skip-preview", "-s", "sim"]);
      project.remove();
    }
    fs.rmSync(timeline, { force: true });
    await stopBoards([...REHEARSAL_BOARDS, SPARE_BOARD]);
    const round = figures as ProvisionRound;
    if (REHEARSAL_FIGURES !== undefined && round.firstUp && round.noChangeUp && round.refreshUp && round.destroy) saveRound(REHEARSAL_FIGURES, round);
  });

  it("fails on an invalid stack config before any SSH connection", async () => {
    // With every sshd stopped, any SSH attempt would end in a dial error instead of the config error.
    for (const board of boards) await stopSshd(board);
    try {
      await project.pulumiOk(["config", "set", "--path", "edgecall:nodes[1].role", "master"]);
      const result = await project.pulumi(UP);
      expect(result.code).not.toBe(0);
      expect(result.stdout + result.stderr).toContain('nodes[1].role: Invalid option: expected one of "server"|"agent", got "master"');
      expect(result.stdout + result.stderr).not.toMatch(/dial|connection refused|stack trace|    at /);
      await project.pulumiOk(["config", "set", "--path", "edgecall:nodes[1].role", "agent"]);
    } finally {
      for (const board of boards) await startSshd(board);
    }
    for (const board of boards) expect(await snapshot(board)).toEqual(before[board.name]);
  });

  it("brings four boards from empty to tuned K3s nodes over one SSH connection each, and renders valid manifests", async () => {
    const loginsBefore = await Promise.all(boards.map(logins));
    const { result: up, seconds, beforeHostSteps, hostSteps } = await timedPulumi(project, timeline, UP);
    figures.firstUp = { seconds, beforeHostSteps, hostSteps };
    expect(up.stdout).toMatch(/Resources:\s+\+ \d+ created/);
    expect(await Promise.all(boards.map(logins))).toEqual(loginsBefore.map((n) => n + 1));
    const outputs = JSON.parse((await project.pulumiOk(["stack", "output", "--json", "--show-secrets", "-s", "sim"])).stdout) as {
      nodes: Array<{ name: string; l4tRelease: string; powerMode: string; board: string }>;
      serverUrl: string;
      kubeconfig: string;
    };
    expect(outputs.nodes.map((n) => [n.name, n.board, n.l4tRelease])).toEqual(SIM_BOARDS.map((b) => [b.name, b.kind, b.l4t]));
    expect(outputs.nodes.every((n) => /^0 \(MAXN/.test(n.powerMode))).toBe(true);
    expect(outputs.serverUrl).toBe(`https://${boards[0].host}:6443`);
    expect(outputs.kubeconfig).toContain(`server: https://${boards[0].host}:6443`);
    const plainOutputs = (await project.pulumiOk(["stack", "output", "--json", "-s", "sim"])).stdout;
    expect(plainOutputs).toContain('"kubeconfig": "[secret]"');

    for (const board of boards) {
      const state = await stateOf(board);
      expect(state.powerMode, board.name).toBe("0");
      expect(state.swapActive, board.name).toBe(true);
      expect(state.defaultTarget, board.name).toBe("multi-user.target");
      expect(state.dockerDefaultRuntime, board.name).toBe("nvidia");
      expect(state.k3sInstalled, board.name).toBe(true);
      expect(state.k3sLabels, board.name).toContain(`edgecall.io/board=${board.kind}`);
      expect(state.k3sLabels, board.name).toContain(`edgecall.io/l4t=${board.l4t}`);
    }

    const manifests = project.renderedManifests();
    expect(manifests.length).toBeGreaterThan(0);
    const problems = (await validateManifests(manifests)).filter((r) => r.errors.length > 0);
    expect(problems).toEqual([]);
    expect(manifests.some((file) => fs.readFileSync(file, "utf8").includes("kind: DaemonSet"))).toBe(true);
  });

  it("changes nothing and opens no SSH connection on a second up", async () => {
    const snapshots = await Promise.all(boards.map((b) => snapshot(b)));
    const loginsBefore = await Promise.all(boards.map(logins));
    const { result, seconds } = await timedPulumi(project, timeline, [...UP, "--expect-no-changes"]);
    figures.noChangeUp = seconds;
    expect(result.stdout).toMatch(/\d+ unchanged/);
    expect(result.stdout).not.toMatch(/[~+-] \d+ (updated|created|deleted)/);
    expect(await Promise.all(boards.map((b) => snapshot(b)))).toEqual(snapshots);
    expect(await Promise.all(boards.map(logins))).toEqual(loginsBefore);
  });

  it("on a new power mode, updates that board's power mode and re-runs only its models' benchmark Jobs", async () => {
    const others = boards.filter((b) => stackNode(b) !== "sim-xavier");
    const othersBefore = await Promise.all(others.map((b) => snapshot(b)));
    await project.pulumiOk(["config", "set", "--path", "edgecall:nodes[2].powerMode", "1"]);
    const changes = (await upChanges(project)).map((c) => `${c.op} ${c.name}`);
    // sim-xavier runs Chiron: its measurements were taken at the old mode, so its Jobs run again.
    const jobs = changes.filter((c) => c.startsWith("replace bench-edgecall-"));
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs.every((c) => c.includes("-chiron-"))).toBe(true);
    expect(changes.filter((c) => !jobs.includes(c))).toEqual(["update sim-xavier-power-mode"]);
    expect((await stateOf(boards[2])).powerMode).toBe("1");
    expect(await Promise.all(others.map((b) => snapshot(b)))).toEqual(othersBefore);
  });

  it("finds a power mode changed by hand with a refresh, puts it back, and touches no other board", async () => {
    const nano = boards[1];
    const asBefore = await Promise.all(boards.map((b) => snapshot(b)));
    await boardShellOk(nano, "nvpmodel -m 1");
    expect((await stateOf(nano)).powerMode).toBe("1");

    // A plain preview trusts the state; a refreshing one looks at the boards.
    expect(await plannedChanges(project)).toEqual([]);
    const loginsBefore = await Promise.all(boards.map(logins));
    expect(await plannedChanges(project, ["--refresh", ...NOT_RENDERED])).toEqual([{ op: "update", name: "sim-nano-power-mode" }]);
    expect(await Promise.all(boards.map(logins))).toEqual(loginsBefore.map((n) => n + 1));

    await project.pulumiOk([...UP, "--refresh", ...NOT_RENDERED]);
    expect((await stateOf(nano)).powerMode).toBe("0");
    expect(await Promise.all(boards.map((b) => snapshot(b)))).toEqual(asBefore);
    figures.refreshUp = (await timedPulumi(project, timeline, [...UP, "--refresh", "--expect-no-changes", ...NOT_RENDERED])).seconds;
  });

  it("names the unreachable board, finishes the others, and converges once it is back", async () => {
    const unreachable = boards[1];
    await stopSshd(unreachable);
    await project.pulumiOk(["config", "set", "--path", "edgecall:power.fan", "200"]);
    let result;
    try {
      result = await project.pulumi([...UP, "--continue-on-error"]);
    } finally {
      await startSshd(unreachable);
    }
    expect(result.code).not.toBe(0);
    const output = result.stdout + result.stderr;
    expect(output).toContain(`${stackNode(unreachable)}-fan`);
    expect(output).toContain(`jetson@${unreachable.host}:22: cannot reach the board over SSH`);
    for (const board of boards.filter((b) => b !== unreachable)) expect((await stateOf(board)).fanPwm, board.name).toBe("200");
    expect((await stateOf(unreachable)).fanPwm).not.toBe("200");

    await project.pulumiOk(UP);
    expect((await stateOf(unreachable)).fanPwm).toBe("200");
    await project.pulumiOk([...UP, "--expect-no-changes"]);
  });

  it("stops on a wrong sudo password with a clear error and no secret in the output", async () => {
    const wrong = "wrong-sudo-password-e2e";
    await project.pulumiOk(["config", "set", "--secret", "--path", "edgecall:ssh.sudoPassword", wrong]);
    const snapshots = await Promise.all(boards.map((b) => snapshot(b)));
    const result = await project.pulumi(UP);
    expect(result.code).not.toBe(0);
    const output = result.stdout + result.stderr;
    expect(output).toContain("sudo refused the password of user jetson");
    expect(output).not.toContain(wrong);
    expect(output).not.toContain(boards[0].sudoPassword);
    expect(await Promise.all(boards.map((b) => snapshot(b)))).toEqual(snapshots);
    await project.pulumiOk(["config", "set", "--secret", "--path", "edgecall:ssh.sudoPassword", boards[0].sudoPassword]);
    await project.pulumiOk(UP);
  });

  it("upgrades K3s to a new version: only the install steps, server first, then the agents one at a time, same token", async () => {
    // The new release's air-gap binary: the emulated one, reporting the new version.
    const next = path.join(project.dir, "test/sim/k3s-airgap-next");
    fs.cpSync(path.join(project.dir, "test/sim/k3s-airgap"), next, { recursive: true });
    const binary = path.join(next, "k3s");
    fs.writeFileSync(binary, fs.readFileSync(binary, "utf8").replace(/^version=.*$/m, `version=${NEXT_K3S}`));
    const tokens = await Promise.all(boards.map(async (b) => (await k3sConfig(b)).token));
    expect(new Set(tokens).size).toBe(1);
    const startsBefore = await Promise.all(boards.map(lastK3sStart));

    await project.pulumiOk(["config", "set", "--path", "edgecall:k3s.version", NEXT_K3S]);
    await project.pulumiOk(["config", "set", "--path", "edgecall:k3s.install.binary", "test/sim/k3s-airgap-next/k3s"]);
    const diff = await project.pulumiOk(["preview", "--diff", "-s", "sim"]);
    expect(diff.stdout).toMatch(new RegExp(`EDGECALL_K3S_VERSION\\s*: "v1\\.30\\.6\\+k3s1" => "${NEXT_K3S.replace(/[.+]/g, "\\$&")}"`));
    const changes = await upChanges(project);
    expect(changes.map((c) => `${c.op} ${c.name}`).sort()).toEqual(boards.map((b) => `update k3s-${stackNode(b)}-install`).sort());

    const starts = await Promise.all(boards.map(lastK3sStart));
    starts.forEach((start, i) => expect(start, boards[i].name).toBeGreaterThan(startsBefore[i]));
    // The order of the stack's nodes: sim-server, then sim-nano, sim-xavier, sim-orin.
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    for (const board of boards) {
      expect(await k3sVersion(board), board.name).toMatch(new RegExp(`^k3s version ${NEXT_K3S.replace(/\+/g, "\\+")} `));
      expect((await k3sConfig(board)).token, board.name).toBe(tokens[0]);
    }
    const state = (await project.pulumiOk(["stack", "export", "-s", "sim"])).stdout;
    expect(state).not.toContain(tokens[0].replace(/^token: "?|"$/g, ""));
    await project.pulumiOk([...UP, "--expect-no-changes"]);
  });

  it("re-provisions only a board whose address changed, re-runs its model's Jobs, and removes the old node from the cluster", async () => {
    const old = boards[3];
    const others = boards.slice(0, 3);
    const othersBefore = await Promise.all(others.map((b) => snapshot(b)));
    await project.pulumiOk(["config", "set", "--path", "edgecall:nodes[3].host", spare.host]);
    const changes = await upChanges(project);
    const touched = [...new Set(changes.map((c) => c.name))].sort();
    // Its steps, and the Jobs of RODAN, the model it runs: measurements on another board are new ones.
    expect(touched.every((name) => name.includes("sim-orin") || /^bench-edgecall-(load-|scale-|live-|ru-)?rodan-/.test(name)), touched.join(", ")).toBe(true);
    expect(touched).toEqual(expect.arrayContaining(["sim-orin-preflight", "sim-orin-power-mode", "k3s-sim-orin-install", "k3s-sim-orin-member", "bench-sim-orin-dataset"]));

    // The old board is back as it was before edgecall; the new one is tuned and has joined.
    expect(await snapshot(old)).toEqual(before[old.name]);
    const joined = await stateOf(spare);
    expect(joined.k3sInstalled).toBe(true);
    expect(joined.k3sLabels).toContain("edgecall.io/board=orin");
    expect(joined.powerMode).toBe("0");
    expect(await boardShellOk(boards[0], "cat /var/log/edgecall-sim/kubectl.log")).toContain("delete node sim-orin");
    expect(await Promise.all(others.map((b) => snapshot(b)))).toEqual(othersBefore);
    boards = [...others, spare];
    await project.pulumiOk([...UP, "--expect-no-changes"]);
  });

  it("converges after an up killed in the middle of the host steps, to the boards an uninterrupted up leaves", async () => {
    const converged = await Promise.all(stackBoards().map((b) => snapshot(b)));
    const configs = await Promise.all(stackBoards().map((b) => k3sConfig(b)));
    await project.pulumiOk(["destroy", "--yes", "--skip-preview", "-s", "sim"]);

    const running = project.start(UP);
    const deadline = Date.now() + 120_000;
    while ((running.output().match(/edgecall:host:Step \S+ created/g) ?? []).length < 4) {
      if (Date.now() > deadline) throw new Error(`no host step finished within 2 minutes:\n${running.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // As a terminal does: ^C to the whole process group, then a kill that cannot be caught.
    const pid = running.child.pid ?? 0;
    const plugins = childrenOf(pid);
    process.kill(-pid, "SIGINT");
    await new Promise((resolve) => setTimeout(resolve, 200));
    process.kill(-pid, "SIGKILL");
    const killed = await running.result;
    // The engine's plugins run in process groups of their own and outlive a killed CLI.
    for (const plugin of plugins) {
      try {
        process.kill(plugin, "SIGKILL");
      } catch {
        // already gone
      }
    }
    expect(killed.code).not.toBe(0);

    const locked = await project.pulumi(UP);
    expect(locked.code).not.toBe(0);
    expect(locked.stdout + locked.stderr).toMatch(/the stack is currently locked.*pulumi cancel/s);
    await project.pulumiOk(["cancel", "--yes", "-s", "sim"]);
    await project.pulumiOk(["refresh", "--clear-pending-creates", "--yes", "--skip-preview", "-s", "sim", ...NOT_RENDERED]);
    await project.pulumiOk(UP);
    const exported = JSON.parse((await project.pulumiOk(["stack", "export", "-s", "sim"])).stdout) as { deployment: { pending_operations?: unknown[] } };
    expect(exported.deployment.pending_operations ?? []).toEqual([]);

    // Exactly as before, but for what is new with every creation: the join token of a new stack
    // (compared below without it) and the UUID mkswap writes into the swap file.
    const now = await Promise.all(stackBoards().map((b) => snapshot(b)));
    const regenerated = ["/etc/rancher/k3s/config.yaml", "/edgecall.swap"];
    const comparable = (s: Record<string, string>) =>
      Object.fromEntries(Object.entries(s).map(([p, d]) => [p, regenerated.includes(p) ? d.replace(/ [0-9a-f]{64}$/, " (regenerated)") : d]));
    expect(now.map(comparable)).toEqual(converged.map(comparable));
    expect((await Promise.all(stackBoards().map((b) => k3sConfig(b)))).map((c) => c.rest)).toEqual(configs.map((c) => c.rest));
    await project.pulumiOk([...UP, "--expect-no-changes"]);
  });

  it("puts every board back as it was and removes the manifests on destroy", async () => {
    figures.destroy = (await timedPulumi(project, timeline, ["destroy", "--yes", "--skip-preview", "-s", "sim"])).seconds;
    for (const board of [...boards, spare]) expect(await snapshot(board), board.name).toEqual(before[board.name]);
    for (const board of REHEARSAL_BOARDS) expect(await snapshot(board), board.name).toEqual(before[board.name]);
    expect(project.renderedManifests()).toEqual([]);
  });
});

if (rehearsalSkipReason !== undefined) console.warn(rehearsalSkipReason);
