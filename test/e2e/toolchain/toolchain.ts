import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * The real Pulumi toolchain the e2e tier and `npm run sim:up` drive: the CLI, the Node.js language
 * host, and the resource plugins of the SDKs in package.json. test/setup/install-e2e-tier.sh puts
 * them in `$EDGECALL_TOOLCHAIN_DIR` (default `~/.cache/edgecall/toolchain`): the CLI and language
 * host in `cli/`, the plugins in the plugin cache of `pulumi-home/` at the versions the SDKs ask
 * for. `$EDGECALL_PULUMI_BIN`, when set, is a folder holding all five instead (plugins on PATH).
 */
export const TOOLCHAIN_DIR = process.env.EDGECALL_TOOLCHAIN_DIR ?? path.join(os.homedir(), ".cache/edgecall/toolchain");

const CLI_BINARIES = ["pulumi", "pulumi-language-nodejs"];
const PLUGINS = ["random", "kubernetes"];

/** Where the toolchain comes from when it is not installed yet (the toolchain's own folder). */
export const TOOLCHAIN_SOURCE = process.env.EDGECALL_TOOLCHAIN_SRC ?? path.resolve(__dirname, "../../../../shared/toolchain");

function binDir(): string {
  return process.env.EDGECALL_PULUMI_BIN ?? path.join(TOOLCHAIN_DIR, "cli");
}

/** The environment a `pulumi` command of the tier runs in. */
export function toolchainEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${binDir()}:${process.env.PATH ?? ""}` };
  if (process.env.EDGECALL_PULUMI_BIN === undefined) env.PULUMI_HOME = path.join(TOOLCHAIN_DIR, "pulumi-home");
  return env;
}

/** The version of each plugin the SDK in node_modules asks the engine for. */
export function sdkPluginVersion(name: string): string {
  const manifest = path.resolve(__dirname, `../../../node_modules/@pulumi/${name}/package.json`);
  return (JSON.parse(fs.readFileSync(manifest, "utf8")) as { version: string }).version;
}

/** What of the toolchain is missing, each named with where it was looked for. */
export function toolchainMissing(): string[] {
  const env = toolchainEnv();
  const onPath = (binary: string) => spawnSync("bash", ["-c", `command -v ${binary}`], { env }).status === 0;
  const missing = CLI_BINARIES.filter((binary) => !onPath(binary)).map((binary) => `${binary} (in ${binDir()})`);
  for (const plugin of PLUGINS) {
    const binary = `pulumi-resource-${plugin}`;
    if (process.env.EDGECALL_PULUMI_BIN !== undefined) {
      if (!onPath(binary)) missing.push(`${binary} (in ${binDir()})`);
      continue;
    }
    const file = path.join(env.PULUMI_HOME ?? "", "plugins", `resource-${plugin}-v${sdkPluginVersion(plugin)}`, binary);
    if (!fs.existsSync(file)) missing.push(`${binary} ${sdkPluginVersion(plugin)} (at ${file})`);
  }
  return missing;
}
