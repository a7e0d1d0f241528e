import { BoardSpec, SimBoard, boardShellOk } from "../../sim/boards";
import { toolchainMissing } from "../toolchain/toolchain";
import { SimProject } from "./sim-project";

/** The boards of stacks/Pulumi.sim.yaml: index i answers at 10.213.7.(4i+2); indexes 10-13 keep clear of the scripts tier (1-6). */
export const SIM_BOARDS: BoardSpec[] = [
  { name: "sim-server", index: 10, kind: "nano", l4t: "R32.7.1" },
  { name: "sim-nano", index: 11, kind: "nano", l4t: "R32.7.1" },
  { name: "sim-xavier", index: 12, kind: "xavier", l4t: "R35.4.1" },
  { name: "sim-orin", index: 13, kind: "orin", l4t: "R36.3.0" },
];

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

/** Previews, then runs `pulumi up`; returns what the preview planned for each resource. */
export async function upChanges(project: SimProject): Promise<PlannedChange[]> {
  const preview = await project.pulumiOk(["preview", "--json", "-s", "sim"]);
  const plan = JSON.parse(preview.stdout) as { steps?: Array<{ op: string; urn: string }> };
  await project.pulumiOk(["up", "--yes", "--skip-preview", "-s", "sim"]);
  return (plan.steps ?? [])
    .filter((step) => !step.urn.includes("::pulumi:pulumi:Stack::"))
    .map((step) => ({ op: step.op, name: step.urn.split("::").pop() ?? step.urn }));
}
