import { ChildProcessWithoutNullStreams, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { simDir, stopBoards } from "./boards";

/** Lists (space-separated) the boards `npm run sim:up` left running on purpose: a test run must not take them down. */
export const SIM_UP_MARKER = path.join(simDir, "sim-up.boards");
const LOCK_DIR = path.join(simDir, "locks");
/** Longer than a whole CI run: a second run waits for the first rather than failing at once. */
const WAIT_LIMIT_MS = 100 * 60 * 1000;

/** The board indexes (addresses, see sim-board.sh) each user of simulated boards takes. */
export const BOARD_INDEXES = {
  scripts: range(1, 9),
  /** The cluster test's four (the sim stack's), then the rehearsal's five. */
  e2e: [...range(10, 13), ...range(20, 24)],
  simUp: range(10, 13),
} as const;

export function range(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/** The boards whose directories are under the sim directory (each has an `index` file), with their index. */
export function boardsOnDisk(): Array<{ name: string; index: number }> {
  if (!fs.existsSync(simDir)) return [];
  return fs
    .readdirSync(simDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(simDir, entry.name, "index")))
    .map((entry) => ({ name: entry.name, index: Number(fs.readFileSync(path.join(simDir, entry.name, "index"), "utf8").trim()) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

const lockFile = (index: number) => path.join(LOCK_DIR, `${index}.lock`);
const ownerFile = (index: number) => path.join(LOCK_DIR, `${index}.owner`);

/**
 * Holds the simulated boards at these indexes for this process until `release` (or until the
 * process ends, however it ends). Two runs that want the same index would share a board's name,
 * namespaces and address, and one would take down the other's boards; runs on other indexes go on
 * side by side (the scripts tier beside the e2e tier, say). Each index is a flock(1) on a file of
 * its own, taken in ascending order (so two runs never wait on each other), all held by one child
 * whose stdin is a pipe from this process: when this process dies, even by SIGKILL, the pipe
 * closes, the child exits and the locks are free. Once held, boards at these indexes left by a run
 * that was killed are taken down; boards that `npm run sim:up` left running are refused, but to
 * `sim:up`/`sim:down` themselves (`simUp`).
 */
export async function holdSimBoards(purpose: string, indexes: readonly number[], options: { simUp?: boolean } = {}): Promise<{ release: () => void }> {
  fs.mkdirSync(LOCK_DIR, { recursive: true });
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const nested = sorted.flatMap((index) => ["flock", "--exclusive", lockFile(index)]);
  const [command, ...args] = [...nested, "sh", "-c", "echo held; exec cat >/dev/null"];
  const holder = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
  const owner = `${purpose} (pid ${process.pid}, since ${new Date().toISOString()})\n`;
  const release = () => {
    for (const index of sorted) {
      if (fs.existsSync(ownerFile(index)) && fs.readFileSync(ownerFile(index), "utf8") === owner) fs.rmSync(ownerFile(index), { force: true });
    }
    holder.stdin.end();
    holder.kill();
  };
  try {
    await waitUntilHeld(holder, purpose, sorted);
  } catch (error) {
    release();
    throw error;
  }
  for (const index of sorted) fs.writeFileSync(ownerFile(index), owner);
  try {
    const simUpBoards = fs.existsSync(SIM_UP_MARKER) ? fs.readFileSync(SIM_UP_MARKER, "utf8").trim().split(/\s+/) : [];
    const ours = boardsOnDisk().filter((board) => sorted.includes(board.index));
    const theirs = ours.filter((board) => simUpBoards.includes(board.name)).map((board) => board.name);
    if (theirs.length > 0 && options.simUp !== true) {
      throw new Error(`the boards of \`npm run sim:up\` are running (${theirs.join(", ")}); run \`npm run sim:down\` before ${purpose}, which would take them down`);
    }
    const leftovers = ours.filter((board) => !simUpBoards.includes(board.name)).map((board) => board.name);
    if (leftovers.length > 0) {
      process.stderr.write(`${purpose}: taking down boards a killed run left behind: ${leftovers.join(", ")}\n`);
      await stopBoards(leftovers.map((name) => ({ name })));
    }
  } catch (error) {
    release();
    throw error;
  }
  return { release };
}

function waitUntilHeld(holder: ChildProcessWithoutNullStreams, purpose: string, indexes: readonly number[]): Promise<void> {
  return new Promise((resolve, reject) => {
    let stderr = "";
    const said = setTimeout(() => {
      const owners = [...new Set(indexes.filter((i) => fs.existsSync(ownerFile(i))).map((i) => fs.readFileSync(ownerFile(i), "utf8").trim()))];
      process.stderr.write(`${purpose}: the simulated boards under ${simDir} are in use by ${owners.length > 0 ? owners.join(" and ") : "another run"}; waiting for it to finish\n`);
    }, 2000);
    const limit = setTimeout(() => {
      reject(new Error(`${purpose}: waited ${WAIT_LIMIT_MS / 60000} minutes for the locks in ${LOCK_DIR}; stop the other run or remove its boards with test/sim/sim-board.sh down`));
    }, WAIT_LIMIT_MS);
    const done = () => {
      clearTimeout(said);
      clearTimeout(limit);
    };
    holder.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    holder.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      if (!chunk.includes("held")) return;
      done();
      resolve();
    });
    holder.on("error", (error) => {
      done();
      reject(new Error(`${purpose}: cannot run flock(1) to lock ${LOCK_DIR} (${error.message}); install util-linux`));
    });
    holder.on("exit", (code) => {
      done();
      reject(new Error(`${purpose}: flock on ${LOCK_DIR} exited with ${code}: ${stderr.trim()}`));
    });
  });
}
