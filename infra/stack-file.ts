import * as fs from "fs";
import * as path from "path";
import { parseDocument } from "yaml";
import { ConfigProblem, StackConfig, ValidationResult, placedModels, validateConfig } from "./config";
import { registryPushPrefix } from "./images-config";
import { MODEL_NODE_PORTS } from "./models";
import { serviceEnabled } from "./services-config";

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

/** What the stack runs besides the boards: images and where built ones go, services, store, telemetry. */
export function describeWorkloads(config: StackConfig): string[] {
  const images = config.images;
  const sources = images === undefined ? [] : [...Object.entries(images.models), ["converter", images.converter] as const, ["tools", images.tools] as const];
  const listed = sources.flatMap(([name, source]) => (source === undefined ? [] : [`${name} ${source.kind === "build" ? "build" : source.reference}`]));
  const server = config.nodes.find((node) => node.role === "server");
  const prefix = server === undefined ? undefined : registryPushPrefix(images, server.host);
  const target = prefix === undefined ? "" : ` -> ${prefix}${images?.registry !== undefined && "inCluster" in images.registry ? " (in-cluster)" : ""}`;
  const placed = placedModels(config);
  const tools = images?.tools !== undefined;
  const store = serviceEnabled(config.metricsStore, tools)
    ? `metrics store on${config.metricsStore.grafana.enabled ? ` (grafana :${config.metricsStore.grafana.nodePort})` : ""}`
    : "metrics store off";
  const telemetry = serviceEnabled(config.telemetry, tools) ? `telemetry :${config.telemetry.port} (${config.telemetry.source})` : "telemetry off";
  return [
    `images: ${listed.length > 0 ? listed.join(", ") : "-"}${target}`,
    `services: ${placed.length > 0 ? placed.map((model) => `${model} :${MODEL_NODE_PORTS[model]}`).join(", ") : "-"}; ${store}; ${telemetry}`,
  ];
}
