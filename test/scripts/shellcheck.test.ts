import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { describe, expect, it } from "vitest";
import { stepScriptText } from "../../components/remote/remote-step";
import { skipReason } from "./support";

const repo = path.resolve(__dirname, "../..");

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

function isShellScript(file: string): boolean {
  if (file.endsWith(".sh")) return true;
  // The emulators and the stand-in k3s binary have no extension but a shell shebang.
  return /^#!\/(usr\/)?bin\/(env )?(ba)?sh\b/.test(fs.readFileSync(file, "utf8").slice(0, 40));
}

const scripts = ["components", "test/sim", "test/setup", ".ci"]
  .flatMap((dir) => filesUnder(path.join(repo, dir)))
  .concat(["test/run-all.sh", "test/lint-python.sh"].map((file) => path.join(repo, file)))
  .filter(isShellScript)
  .map((file) => path.relative(repo, file))
  .sort();
const hostSteps = scripts.filter((file) => /^components\/[^/]+\/scripts\//.test(file));

function shellcheck(args: string[], input?: string) {
  return spawnSync("shellcheck", ["--format=gcc", ...args], { cwd: repo, input, encoding: "utf8" });
}

describe.skipIf(skipReason !== undefined)("shellcheck", () => {
  it("finds the host step scripts and the simulator's scripts", () => {
    expect(hostSteps).toContain("components/jetson-node/scripts/preflight.sh");
    expect(hostSteps).toContain("components/k3s/scripts/k3s-install.sh");
    expect(scripts).toContain("test/sim/sim-board.sh");
    expect(scripts).toContain("test/sim/emulators/nvpmodel");
    expect(scripts).toContain("test/setup/install-pulumi-toolchain.sh");
    expect(scripts).toContain("test/setup/lib/apt.sh");
    expect(scripts).toContain("test/run-all.sh");
    expect(scripts).toContain("components/remote/provider/pulumi-resource-edgecall");
  });

  it.each(scripts)("passes on %s", (file) => {
    const result = shellcheck([file]);
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  // What a board runs is the prelude followed by the step; checked together, every helper is defined.
  it.each(hostSteps)("passes on %s as sent, after the prelude", (file) => {
    const result = shellcheck(["--shell=bash", "-"], stepScriptText(path.join(repo, file)));
    expect(result.stdout + result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});
