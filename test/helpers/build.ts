import { spawnSync } from "child_process";
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
  const result = spawnSync("flock", [path.join(PROJECT, "dist.lock"), "npm", "run", "-s", "build"], { cwd: PROJECT, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`npm run build failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
  built = true;
}

/** The compiled `edgecall` command (package.json `bin`). */
export const EDGECALL_BIN = path.join(PROJECT, "dist", "benchmarks", "bin", "edgecall.js");
