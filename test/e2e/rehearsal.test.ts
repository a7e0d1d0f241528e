import * as fs from "fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SimBoard, snapshot, startBoards, startSshd, stopBoards, stopSshd } from "../sim/boards";
import { validateManifests } from "../manifests/validate";
import { SimProject } from "./helpers/sim-project";
import { toolchainEnv } from "./toolchain/toolchain";
import { SIM_BOARDS, rehearsalSkipReason, stateOf, upChanges } from "./helpers/rehearsal";

/**
 * Issue 5: `pulumi up`, a second `pulumi up` and `pulumi destroy` of the sim stack with the real
 * Pulumi engine and providers, against four simulated boards. Tests run in order and share state.
 */
describe.skipIf(rehearsalSkipReason !== undefined)("rehearsal of the sim stack with the real Pulumi engine", () => {
  let boards: SimBoard[];
  let project: SimProject;
  const before: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    await stopBoards(SIM_BOARDS);
    boards = await startBoards(SIM_BOARDS);
    for (const board of boards) before[board.name] = await snapshot(board);
    project = new SimProject(toolchainEnv());
    await project.initSimStack(fs.readFileSync(boards[0].keyPath, "utf8"), boards[0].sudoPassword);
  });

  afterAll(async () => {
    if (project !== undefined) {
      await project.pulumi(["destroy", "--yes", "--skip-preview", "-s", "sim"]);
      project.remove();
    }
    await stopBoards(SIM_BOARDS);
  });

  it("fails on an invalid stack config before any SSH connection", async () => {
    // With every sshd stopped, any SSH attempt would end in a dial error instead of the config error.
    for (const board of boards) await stopSshd(board);
    try {
      await project.pulumiOk(["config", "set", "--path", "edgecall:nodes[1].role", "master"]);
      const result = await project.pulumi(["up", "--yes", "--skip-preview", "-s", "sim"]);
      expect(result.code).not.toBe(0);
      expect(result.stdout + result.stderr).toContain('nodes[1].role: Invalid option: expected one of "server"|"agent", got "master"');
      expect(result.stdout + result.stderr).not.toMatch(/dial|connection refused|stack trace|    at /);
      await project.pulumiOk(["config", "set", "--path", "edgecall:nodes[1].role", "agent"]);
    } finally {
      for (const board of boards) await startSshd(board);
    }
    for (const board of boards) expect(await snapshot(board)).toEqual(before[board.name]);
  });

  it("brings four boards from empty to tuned K3s nodes and renders valid manifests", async () => {
    const up = await project.pulumiOk(["up", "--yes", "--skip-preview", "-s", "sim"]);
    expect(up.stdout).toMatch(/Resources:\s+\+ \d+ created/);
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
    expect(manifests.some((file) => /DaemonSet|daemonset/.test(file) || fs.readFileSync(file, "utf8").includes("kind: DaemonSet"))).toBe(true);
  });

  it("changes nothing on a second up", async () => {
    const snapshots = await Promise.all(boards.map((b) => snapshot(b)));
    const result = await project.pulumiOk(["up", "--yes", "--skip-preview", "--expect-no-changes", "-s", "sim"]);
    expect(result.stdout).toMatch(/\d+ unchanged/);
    expect(result.stdout).not.toMatch(/[~+-] \d+ (updated|created|deleted)/);
    expect(await Promise.all(boards.map((b) => snapshot(b)))).toEqual(snapshots);
  });

  it("updates only the board whose power mode changed", async () => {
    const others = boards.filter((b) => b.name !== "sim-xavier");
    const othersBefore = await Promise.all(others.map((b) => snapshot(b)));
    await project.pulumiOk(["config", "set", "--path", "edgecall:nodes[2].powerMode", "1"]);
    const changes = await upChanges(project);
    expect(changes.filter((c) => c.op !== "same").map((c) => `${c.op} ${c.name}`)).toEqual(["update sim-xavier-power-mode"]);
    expect((await stateOf(boards[2])).powerMode).toBe("1");
    expect(await Promise.all(others.map((b) => snapshot(b)))).toEqual(othersBefore);
  });

  it("names the unreachable board, finishes the others, and converges once it is back", async () => {
    const unreachable = boards[1];
    await stopSshd(unreachable);
    await project.pulumiOk(["config", "set", "--path", "edgecall:power.fan", "200"]);
    let result;
    try {
      result = await project.pulumi(["up", "--yes", "--skip-preview", "--continue-on-error", "-s", "sim"]);
    } finally {
      await startSshd(unreachable);
    }
    expect(result.code).not.toBe(0);
    const output = result.stdout + result.stderr;
    expect(output).toContain(`${unreachable.name}-fan`);
    expect(output).toContain(unreachable.host);
    for (const board of boards.filter((b) => b !== unreachable)) expect((await stateOf(board)).fanPwm, board.name).toBe("200");
    expect((await stateOf(unreachable)).fanPwm).not.toBe("200");

    await project.pulumiOk(["up", "--yes", "--skip-preview", "-s", "sim"]);
    expect((await stateOf(unreachable)).fanPwm).toBe("200");
    await project.pulumiOk(["up", "--yes", "--skip-preview", "--expect-no-changes", "-s", "sim"]);
  });

  it("stops on a wrong sudo password with a clear error and no secret in the output", async () => {
    const wrong = "wrong-sudo-password-e2e";
    await project.pulumiOk(["config", "set", "--secret", "--path", "edgecall:ssh.sudoPassword", wrong]);
    const snapshots = await Promise.all(boards.map((b) => snapshot(b)));
    const result = await project.pulumi(["up", "--yes", "--skip-preview", "-s", "sim"]);
    expect(result.code).not.toBe(0);
    const output = result.stdout + result.stderr;
    expect(output).toContain("sudo refused the password of user jetson");
    expect(output).not.toContain(wrong);
    expect(output).not.toContain(boards[0].sudoPassword);
    expect(await Promise.all(boards.map((b) => snapshot(b)))).toEqual(snapshots);
    await project.pulumiOk(["config", "set", "--secret", "--path", "edgecall:ssh.sudoPassword", boards[0].sudoPassword]);
    await project.pulumiOk(["up", "--yes", "--skip-preview", "-s", "sim"]);
  });

  it("puts every board back as it was and removes the manifests on destroy", async () => {
    await project.pulumiOk(["destroy", "--yes", "--skip-preview", "-s", "sim"]);
    for (const board of boards) expect(await snapshot(board), board.name).toEqual(before[board.name]);
    expect(project.renderedManifests()).toEqual([]);
  });
});

if (rehearsalSkipReason !== undefined) console.warn(rehearsalSkipReason);
