/**
 * `npm run build`'s last step: records the git commit the build came from in dist/, where the tools
 * image copies it with the CLI, so that summaries name the edgecall that made them.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import { projectRoot } from "../../domain/project-files";
import { BuildStamp, stampPath } from "./version";

function git(root: string, args: string[]): string | undefined {
  const result = spawnSync("git", ["-C", root, ...args], { encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

const root = projectRoot(__dirname);
const commit = git(root, ["rev-parse", "HEAD"]);
const stamp: BuildStamp = commit === undefined ? {} : { commit, dirty: (git(root, ["status", "--porcelain", "--untracked-files=no"]) ?? "") !== "" };
const file = stampPath(root);
const text = `${JSON.stringify(stamp)}\n`;
// Unchanged, the file is left alone, so that what keys on dist/ (the tools image) does not move.
if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) fs.writeFileSync(file, text);
