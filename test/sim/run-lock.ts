import { ChildProcessWithoutNullStreams, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { simDir, stopBoards } from "./boards";

/** Lists (space-separated) the boards `npm run sim:up` left running on purpose: a test run must not take them down. */
export const SIM_UP_MARKER = path.join(simDir, "sim-up.boards");
const LOCK_FILE = path.join(simDir, "run.lock");
const OWNER_FILE = path.join(simDir, "run.lock.owner");
/** Longer than a whole CI run: a second run waits for the first rather than failing at once. */
const WAIT_LIMIT_MS = 100 * 60 * 1000;

/** The boards whose directories are under the sim directory (each has an `index` file). */
export function boardsOnDisk(): string[] {
  if (!fs.existsSync(simDir)) return [];
  return fs
    .readdirSync(simDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(simDir, entry.name, "index")))
    .map((entry) => entry.name)
    .sort();
}

/**
 * Holds the machine's simulated boards for this process until `release` (or until the process
 * ends, however it ends). Two test runs on one machine would otherwise share board names,
 * namespaces and addresses, and one would take down the other's boards. The lock is flock(1) on a
 * file, held by a child whose stdin is a pipe from this process: when this process dies, even by
 * SIGKILL, the pipe closes, the child exits and the lock is free. Once held, boards left by a run
 * that was killed are taken down; boards that `npm run sim:up` left running are refused, but to
 * `sim:up`/`sim:down` themselves (`simUp`).
 */
export async function holdSimBoards(purpose: string, options: { simUp?: boolean } = {}): Promise<{ release: () => void }> {
  fs.mkdirSync(simDir, { recursive: true });
  const holder = spawn("flock", ["--exclusive", LOCK_FILE, "sh", "-c", "echo held; exec cat >/dev/null"], { stdio: ["pipe", "pipe", "pipe"] });
  const release = () => {
    holder.stdin.end();
    holder.kill();
  };
  try {
    await waitUntilHeld(holder, purpose);
  } catch (error) {
    release();
    throw error;
  }
  fs.writeFileSync(OWNER_FILE, `${purpose} (pid ${process.pid}, since ${new Date().toISOString()})\n`);
  try {
    const simUpBoards = fs.existsSync(SIM_UP_MARKER) ? fs.readFileSync(SIM_UP_MARKER, "utf8").trim().split(/\s+/) : [];
    if (simUpBoards.length > 0 && options.simUp !== true) {
      throw new Error(`the boards of \`npm run sim:up\` are running (${simUpBoards.join(", ")}); run \`npm run sim:down\` before ${purpose}, which would take them down`);
    }
    const leftovers = boardsOnDisk().filter((name) => !simUpBoards.includes(name));
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

function waitUntilHeld(holder: ChildProcessWithoutNullStreams, purpose: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let stderr = "";
    const said = setTimeout(() => {
      const owner = fs.existsSync(OWNER_FILE) ? fs.readFileSync(OWNER_FILE, "utf8").trim() : "another run";
      process.stderr.write(`${purpose}: the simulated boards under ${simDir} are in use by ${owner}; waiting for it to finish\n`);
    }, 2000);
    const limit = setTimeout(() => {
      reject(new Error(`${purpose}: waited ${WAIT_LIMIT_MS / 60000} minutes for ${LOCK_FILE}; stop the other run or remove its boards with test/sim/sim-board.sh down`));
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
      reject(new Error(`${purpose}: cannot run flock(1) to lock ${LOCK_FILE} (${error.message}); install util-linux`));
    });
    holder.on("exit", (code) => {
      done();
      reject(new Error(`${purpose}: flock on ${LOCK_FILE} exited with ${code}: ${stderr.trim()}`));
    });
  });
}
