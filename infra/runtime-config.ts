import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigProblem, StackConfig, validateConfig } from "./config";
import { edgecallValues, validateStackFile } from "./stack-file";
import { maskUrlsIn } from "../domain/mask-url";

/** Raised for an invalid stack config: every problem on its own line, no stack trace. */
export class ConfigError extends pulumi.RunError {
  constructor(source: string, problems: ConfigProblem[]) {
    super(maskUrlsIn(`invalid edgecall config (${source}):\n${problems.map((p) => `  ${p.path}: ${p.message}`).join("\n")}`));
  }
}

/** Values of `pulumi.runtime.allConfig()`: structured values arrive as JSON text. */
function parseConfigValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * The stack's validated config, or a ConfigError before any resource exists. The stack file is
 * checked first: it is the only place a secret written in plain text can be seen, since Pulumi
 * decrypts secrets before the program runs.
 */
export function loadStackConfig(projectDir: string, stack: string, allConfig: Record<string, string>): StackConfig {
  const stackFile = path.join(projectDir, "stacks", `Pulumi.${stack}.yaml`);
  const fileCheck = validateStackFile(stackFile);
  if (!fileCheck.ok) throw new ConfigError(path.relative(projectDir, stackFile), fileCheck.problems);

  const raw = Object.fromEntries(Object.entries(allConfig).map(([key, value]) => [key, parseConfigValue(value)]));
  const { values } = edgecallValues(raw);
  const result = validateConfig(values, projectDir, "runtime");
  if (!result.ok) throw new ConfigError(`stack ${stack}`, result.problems);
  return result.config;
}
