import { spawnSync } from "child_process";
import * as os from "os";
import * as path from "path";

/**
 * The real Pulumi toolchain the e2e tier drives: the CLI, the Node.js language host and the
 * resource plugins of the SDKs in package.json. They are looked up on PATH, with
 * `$EDGECALL_PULUMI_BIN` (default `~/.cache/edgecall/toolchain/bin`) put first.
 */
export const TOOLCHAIN_BIN = process.env.EDGECALL_PULUMI_BIN ?? path.join(os.homedir(), ".cache/edgecall/toolchain/bin");

export const REQUIRED_BINARIES = [
  "pulumi",
  "pulumi-language-nodejs",
  "pulumi-resource-command",
  "pulumi-resource-random",
  "pulumi-resource-kubernetes",
];

export function toolchainEnv(): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${TOOLCHAIN_BIN}:${process.env.PATH ?? ""}` };
}

/** The binaries of the toolchain that are not on PATH. */
export function toolchainMissing(): string[] {
  const env = toolchainEnv();
  return REQUIRED_BINARIES.filter((binary) => spawnSync("bash", ["-c", `command -v ${binary}`], { env }).status !== 0);
}
