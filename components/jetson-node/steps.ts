import * as path from "path";
import type { BoardKind } from "../../domain/models";
import type { HostStep } from "../remote/remote-step";
import { boardSupport } from "./board";
import { besideModule } from "../../domain/project-files";

const scripts = besideModule(__dirname, "scripts");

/** The tuning a board gets, in the units the host scripts take. */
export interface BoardTuning {
  board: BoardKind;
  /** nvpmodel mode id. */
  powerMode: number;
  jetsonClocks: boolean;
  fan: "auto" | "max" | number;
  /** Swap file size in MB; 0 for none. */
  swapMb: number;
  headless: boolean;
  /** Make `nvidia` Docker's default runtime (needed when K3s runs on Docker). */
  dockerDefaultRuntime: boolean;
  minFreeDiskMb: number;
  /**
   * edgecall installs K3s on the board (false with `k3s.existing`): preflight then refuses a board
   * that already holds cluster state edgecall did not put there, which K3s's uninstall would delete.
   */
  installsK3s: boolean;
}

/** The read-only checks before anything changes on a board. */
export function preflightStep(tuning: BoardTuning): HostStep {
  return {
    name: "preflight",
    scriptPath: path.join(scripts, "preflight.sh"),
    env: {
      EDGECALL_BOARD: tuning.board,
      EDGECALL_L4T_ALLOWED: boardSupport(tuning.board).l4tReleases.join(" "),
      EDGECALL_MIN_FREE_MB: String(tuning.minFreeDiskMb),
      EDGECALL_INSTALLS_K3S: String(tuning.installsK3s),
    },
  };
}

/**
 * The steps that change a board, in the order they run. Each is idempotent and undoes itself on
 * delete; the Docker runtime step comes last because it restarts Docker.
 */
export function tuningSteps(tuning: BoardTuning): HostStep[] {
  const steps: HostStep[] = [
    { name: "power-mode", scriptPath: path.join(scripts, "power-mode.sh"), env: { EDGECALL_NVPMODEL_MODE: String(tuning.powerMode) } },
    { name: "clocks", scriptPath: path.join(scripts, "clocks.sh"), env: { EDGECALL_JETSON_CLOCKS: tuning.jetsonClocks ? "on" : "off" } },
    { name: "fan", scriptPath: path.join(scripts, "fan.sh"), env: { EDGECALL_FAN: String(tuning.fan) } },
    { name: "swap", scriptPath: path.join(scripts, "swap.sh"), env: { EDGECALL_SWAP_MB: String(tuning.swapMb) } },
    { name: "headless", scriptPath: path.join(scripts, "headless.sh"), env: { EDGECALL_HEADLESS: String(tuning.headless) } },
  ];
  if (tuning.dockerDefaultRuntime) {
    steps.push({ name: "docker-runtime", scriptPath: path.join(scripts, "docker-runtime.sh"), env: {} });
  }
  return steps;
}
