import * as fs from "fs";
import * as path from "path";
import { COMPILED_DIR, projectRoot } from "../../domain/project-files";

/** Written by `npm run build` (stamp.ts) beside the compiled CLI: the commit it was built from. */
export const STAMP_FILE = "version.json";

export interface BuildStamp {
  /** The git commit of the checkout that was built; absent where there was no git checkout. */
  commit?: string;
  /** Whether tracked files differed from that commit when it was built. */
  dirty?: boolean;
}

export function stampPath(root: string): string {
  return path.join(root, COMPILED_DIR, "benchmarks", STAMP_FILE);
}

/**
 * edgecall's version as summaries record it (`framework_versions.edgecall`): package.json's version,
 * with the commit it was built from where the build knew it (`0.1.0+1a2b3c4d5e6f`, `.dirty` when the
 * tree had changes), since there is no release yet to tell builds apart.
 */
export function edgecallVersion(from: string = __dirname): string {
  const root = projectRoot(from);
  const { version } = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string };
  let stamp: BuildStamp = {};
  try {
    stamp = JSON.parse(fs.readFileSync(stampPath(root), "utf8")) as BuildStamp;
  } catch {
    // Not built (a run from the TypeScript sources without `npm run build`): the version alone.
  }
  if (stamp.commit === undefined) return version;
  return `${version}+${stamp.commit.slice(0, 12)}${stamp.dirty === true ? ".dirty" : ""}`;
}
