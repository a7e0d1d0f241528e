import { BoardSpec, SimBoard, boardShellOk } from "../../sim/boards";
import { SIM_BOARDS } from "../../sim/sim-stack";

export { SIM_BOARDS };

/**
 * The rehearsal's own boards, one behind each node of the sim stack (same kind and release), at
 * other indexes and names than the cluster test's, so the two files may run side by side.
 */
export const REHEARSAL_BOARDS: BoardSpec[] = SIM_BOARDS.map((board, i) => ({ ...board, name: board.name.replace(/^sim-/, "rh-"), index: 20 + i }));

/** The sim stack's node a rehearsal board stands behind (rh-xavier: sim-xavier). */
export function stackNode(board: Pick<BoardSpec, "name">): string {
  return board.name.replace(/^rh-/, "sim-");
}
import { toolchainMissing } from "../toolchain/toolchain";
import type { SimProject } from "../../sim/sim-project";


/** A fifth board, started but not in the stack until the rehearsal moves sim-orin's role to it. */
export const SPARE_BOARD: BoardSpec = { name: "rh-spare", index: 24, kind: "orin", l4t: "R36.3.0" };

/** Rendered Kubernetes objects live in no cluster, so a refresh of the sim stack leaves them out. */
export const NOT_RENDERED = ["--exclude", "**kubernetes:**"];

function missingPrerequisites(): string[] {
  const missing = toolchainMissing();
  if (process.getuid?.() !== 0) missing.push("root (simulated boards use network and mount namespaces)");
  return missing;
}

const missing = missingPrerequisites();
if (missing.length > 0 && process.env.CI === "true") {
  throw new Error(`the e2e tier needs ${missing.join(", ")}: run test/setup/install-e2e-tier.sh as root`);
}
/** Why the rehearsal cannot run here (outside CI it is skipped with this reason), or undefined. */
export const rehearsalSkipReason =
  missing.length > 0 ? `e2e tier skipped: needs ${missing.join(", ")} (run test/setup/install-e2e-tier.sh as root)` : undefined;

/** What the e2e tier checks on a board after `pulumi up`, read as root on the board. */
export interface BoardState {
  powerMode: string;
  swapActive: boolean;
  defaultTarget: string;
  dockerDefaultRuntime: string | null;
  k3sInstalled: boolean;
  k3sLabels: string;
  fanPwm: string;
}

export async function stateOf(board: SimBoard): Promise<BoardState> {
  const out = await boardShellOk(
    board,
    [
      "echo \"mode=$(nvpmodel -q | tail -n 1)\"",
      "echo \"swap=$(swapon --show --noheadings | grep -c /edgecall.swap || true)\"",
      "echo \"target=$(systemctl get-default)\"",
      "echo \"runtime=$(python3 -c 'import json,sys; print(json.load(open(\"/etc/docker/daemon.json\")).get(\"default-runtime\"))' 2>/dev/null || echo none)\"",
      "echo \"k3s=$([ -x /usr/local/bin/k3s ] && echo yes || echo no)\"",
      "echo \"labels=$(grep -o 'edgecall.io/[^\\\"]*' /etc/rancher/k3s/config.yaml 2>/dev/null | tr '\\n' ' ')\"",
      "echo \"fan=$(cat /sys/devices/pwm-fan/target_pwm)\"",
    ].join("; "),
  );
  const value = (key: string): string => new RegExp(`^${key}=(.*)$`, "m").exec(out)?.[1] ?? "";
  return {
    powerMode: value("mode"),
    swapActive: value("swap") === "1",
    defaultTarget: value("target"),
    dockerDefaultRuntime: value("runtime") === "none" ? null : value("runtime"),
    k3sInstalled: value("k3s") === "yes",
    k3sLabels: value("labels"),
    fanPwm: value("fan"),
  };
}

/** One resource's planned operation, from `pulumi preview --json`. */
export interface PlannedChange {
  op: string;
  name: string;
}

/** What `pulumi preview --json ARGS` plans to change: every step but the unchanged ones and the refreshes. */
export async function plannedChanges(project: SimProject, args: string[] = []): Promise<PlannedChange[]> {
  const preview = await project.pulumiOk(["preview", "--json", "-s", "sim", ...args]);
  const plan = JSON.parse(preview.stdout) as { steps?: Array<{ op: string; urn: string }> };
  return (plan.steps ?? [])
    .filter((step) => !step.urn.includes("::pulumi:pulumi:Stack::") && step.op !== "same" && step.op !== "refresh")
    .map((step) => ({ op: step.op, name: step.urn.split("::").pop() ?? step.urn }));
}

/** Previews, then runs `pulumi up`; returns what the preview planned to change. */
export async function upChanges(project: SimProject): Promise<PlannedChange[]> {
  const changes = await plannedChanges(project);
  await project.pulumiOk(["up", "--yes", "--skip-preview", "-s", "sim"]);
  return changes;
}

/** When the board's K3s service was last (re)started, from the emulated systemctl's log. */
export async function lastK3sStart(board: SimBoard): Promise<number> {
  const log = await boardShellOk(board, "cat /var/log/edgecall-sim/systemctl.log 2>/dev/null || true");
  const starts = log.split("\n").filter((line) => /^(re)?start k3s(-agent)?\.service /.test(line));
  if (starts.length === 0) throw new Error(`${board.name}: K3s was never started`);
  return Number(starts[starts.length - 1].split(" ")[2]);
}

/** What the board's K3s binary says its version is. */
export async function k3sVersion(board: SimBoard): Promise<string> {
  return (await boardShellOk(board, "/usr/local/bin/k3s --version | head -n 1")).trim();
}

/** The board's K3s config.yaml: its join token, and the rest of the file without it. */
export async function k3sConfig(board: SimBoard): Promise<{ token: string; rest: string }> {
  const text = await boardShellOk(board, "cat /etc/rancher/k3s/config.yaml");
  const lines = text.split("\n");
  return { token: lines.find((line) => line.startsWith("token: ")) ?? "", rest: lines.filter((line) => !line.startsWith("token: ")).join("\n") };
}

export { childrenOf } from "../../helpers/processes";
