import type { BoardSpec } from "./boards";
import { boardShellOk } from "./boards";

/**
 * The run directory the sim stack's `live` entry watches on the Orin, and where its calls go: the
 * lab's own directories, which edgecall neither makes nor removes, so the sim makes them as a lab
 * would before `pulumi up` (under /tmp, which a board's snapshot leaves out as it does on a Jetson).
 */
export const SIM_LIVE = { board: "sim-orin", runDir: "/tmp/edgecall-live/run", outputDir: "/tmp/edgecall-live/calls" } as const;

/** Makes both directories on the board, the calls one writable by the watcher's uid (10001). */
export async function prepareLiveRunDir(boards: ReadonlyArray<Pick<BoardSpec, "name">>): Promise<void> {
  const board = boards.find((b) => b.name === SIM_LIVE.board);
  if (board === undefined) return;
  await boardShellOk(board, `mkdir -p ${SIM_LIVE.runDir} ${SIM_LIVE.outputDir} && chown 10001 ${SIM_LIVE.outputDir}`);
}

/** Writes a file into the run directory as MinKNOW does: under a temporary name, then renamed. */
export async function sequenceInto(board: Pick<BoardSpec, "name">, name: string, content: Buffer): Promise<void> {
  const target = `${SIM_LIVE.runDir}/${name}`;
  await boardShellOk(board, `base64 -d > '${target}.tmp' && mv '${target}.tmp' '${target}'`, content.toString("base64"));
}
