import * as fs from "fs";
import * as path from "path";
import { parseDocument } from "yaml";
import { ConfigProblem, StackConfig, ValidationResult, validateConfig } from "./config";

export const NAMESPACE = "edgecall";

/**
 * Splits a stack's `config:` map into edgecall's own keys (namespace stripped) and reports keys of
 * the namespace written without it, since Pulumi would silently give them to no one.
 */
export function edgecallValues(config: Record<string, unknown>): { values: Record<string, unknown>; problems: ConfigProblem[] } {
  const values: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [key, value] of Object.entries(config)) {
    const colon = key.indexOf(":");
    if (colon < 0) {
      problems.push({ path: key, message: `config keys need a namespace; did you mean ${NAMESPACE}:${key}?` });
    } else if (key.slice(0, colon) === NAMESPACE) {
      values[key.slice(colon + 1)] = value;
    }
  }
  return { values, problems };
}

/** Reads and validates `stacks/Pulumi.<stack>.yaml` without Pulumi. */
export function validateStackFile(file: string): ValidationResult<StackConfig> {
  if (!fs.existsSync(file)) {
    return { ok: false, problems: [{ path: file, message: "file not found" }] };
  }
  const doc = parseDocument(fs.readFileSync(file, "utf8"));
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((error) => ({
        path: `${file}:${error.linePos?.[0].line ?? "?"}`,
        message: `not valid YAML: ${error.message.split("\n")[0]}`,
      })),
    };
  }
  const root: unknown = doc.toJS();
  const config = typeof root === "object" && root !== null ? (root as Record<string, unknown>).config : undefined;
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    return { ok: false, problems: [{ path: "config", message: `expected a 'config:' map in ${file}` }] };
  }
  const { values, problems } = edgecallValues(config as Record<string, unknown>);
  // Relative local paths (air-gap files) are relative to the project root, where `pulumi up` runs.
  const result = validateConfig(values, path.resolve(path.dirname(file), ".."), "stack-file");
  if (problems.length === 0) return result;
  return { ok: false, problems: [...problems, ...(result.ok ? [] : result.problems)] };
}

/** One line per node, for the validator's success output. */
export function describeNodes(config: StackConfig): string[] {
  return config.nodes.map((node) => {
    const mode = node.powerMode ?? config.power.nvpmodel[node.board];
    const models = node.models.length > 0 ? node.models.join(",") : "-";
    const user = node.user ?? config.ssh.user;
    return `${node.name}: ${node.role} ${node.board} at ${user}@${node.host}:${node.port}, nvpmodel ${mode}, models ${models}`;
  });
}
