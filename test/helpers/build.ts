import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const PROJECT = path.resolve(__dirname, "../..");
let built = false;

/**
 * `npm run build` (incremental: seconds when little changed), once per test process, so that what
 * runs the compiled JavaScript (`pulumi up` of a copied project, the `edgecall` command) runs the
 * sources as they are. Test lanes that build at once take turns (flock), since tsc writes dist/
 * file by file.
 */
export function ensureBuilt(): void {
  if (built) return;
  // Nothing changed since the last build (CI's install builds first): no build, and no wait on the
  // lock, which a test worker would spend blocked past vitest's RPC deadline on a busy machine.
  if (builtSinceLastChange()) {
    built = true;
    return;
  }
  const result = spawnSync("flock", [path.join(PROJECT, "dist.lock"), "npm", "run", "-s", "build"], { cwd: PROJECT, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`npm run build failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
  // tsc leaves its build info alone when a source was touched but not changed: mark this build.
  const now = new Date();
  fs.utimesSync(path.join(PROJECT, "dist", ".tsbuildinfo"), now, now);
  built = true;
}

const SOURCES = ["domain", "infra", "components", "benchmarks"];
const CONFIGS = ["package.json", "tsconfig.json", "tsconfig.build.json"];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Whether tsc's build info (rewritten by every build that emits) is newer than every source and config. */
function builtSinceLastChange(): boolean {
  const info = fs.statSync(path.join(PROJECT, "dist", ".tsbuildinfo"), { throwIfNoEntry: false });
  if (info === undefined || !fs.existsSync(EDGECALL_BIN)) return false;
  const sources = Math.max(...SOURCES.map((d) => newestMtime(path.join(PROJECT, d))), ...CONFIGS.map((f) => fs.statSync(path.join(PROJECT, f)).mtimeMs));
  return info.mtimeMs >= sources;
}

/** The compiled `edgecall` command (package.json `bin`). */
export const EDGECALL_BIN = path.join(PROJECT, "dist", "benchmarks", "bin", "edgecall.js");
