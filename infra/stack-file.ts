import * as fs from "fs";
import * as path from "path";
import { YAMLError, parseDocument } from "yaml";
import { ConfigProblem, StackConfig, ValidationResult, placedModels, validateConfig } from "./config";
import { editDistance } from "./edit-distance";
import { registryPushPrefix } from "../components/model-image/config";
import { MODEL_NODE_PORTS } from "../domain/models";
import { serviceEnabled } from "./services-config";

export const NAMESPACE = "edgecall";

/** The path of a problem with the stack file as a whole (missing, unreadable as YAML), not one field. */
export const WHOLE_FILE = "(file)";

/**
 * A namespace one or two typos away from ours (`edgecal`, `EdgeCall`): other namespaces belong to
 * providers and are left alone, but these are surely ours, and Pulumi would give them to no one.
 */
function looksLikeOurNamespace(namespace: string): boolean {
  return editDistance(namespace.toLowerCase(), NAMESPACE) <= 2;
}

/**
 * Splits a stack's `config:` map into edgecall's own keys (namespace stripped) and reports keys of
 * the namespace written without it or misspelt, since Pulumi would silently give them to no one.
 */
export function edgecallValues(config: Record<string, unknown>): { values: Record<string, unknown>; problems: ConfigProblem[] } {
  const values: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [key, value] of Object.entries(config)) {
    const colon = key.indexOf(":");
    const namespace = key.slice(0, colon);
    if (colon < 0) {
      problems.push({ path: key, message: `config keys need a namespace; did you mean ${NAMESPACE}:${key}?` });
    } else if (namespace === NAMESPACE) {
      values[key.slice(colon + 1)] = value;
    } else if (looksLikeOurNamespace(namespace)) {
      problems.push({ path: key, message: `unknown namespace '${namespace}'; did you mean ${NAMESPACE}:${key.slice(colon + 1)}?` });
    }
  }
  return { values, problems };
}

/** A YAML syntax error as one problem at its line and column, the parser's reason and the line itself. */
function yamlProblem(error: YAMLError, text: string): ConfigProblem {
  const reason = error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
  const position = error.linePos?.[0];
  if (position === undefined) return { path: WHOLE_FILE, message: `not valid YAML: ${reason}` };
  // Tabs become spaces so the caret stays under the column it points at.
  const line = (text.split("\n")[position.line - 1] ?? "").replace(/\t/g, " ").replace(/\r$/, "");
  const excerpt = line.trim() === "" || line.length > 100 ? [] : [line, `${" ".repeat(Math.max(0, position.col - 1))}^`];
  return { path: `line ${position.line}, column ${position.col}`, message: `not valid YAML: ${reason}`, position, excerpt };
}

/** Reads and validates `stacks/Pulumi.<stack>.yaml` without Pulumi. */
export function validateStackFile(file: string): ValidationResult<StackConfig> {
  const unreadable = (message: string): ValidationResult<StackConfig> => ({ ok: false, problems: [{ path: WHOLE_FILE, message }] });
  let text: string;
  try {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat === undefined) return unreadable("file not found");
    if (stat.isDirectory()) return unreadable("is a directory; give a stack file (stacks/Pulumi.<stack>.yaml)");
    if (!stat.isFile()) return unreadable("is not a regular file; give a stack file (stacks/Pulumi.<stack>.yaml)");
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    return unreadable(`cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const doc = parseDocument(text);
  // Only the first: the parser's later errors are mostly echoes of it.
  if (doc.errors.length > 0) return { ok: false, problems: [yamlProblem(doc.errors[0], text)] };
  let root: unknown;
  try {
    root = doc.toJS();
  } catch (error) {
    // The YAML library stops an alias bomb (aliases expanding without end) with a ReferenceError.
    return unreadable(`not valid YAML: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}`);
  }
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
    ...config.live.map((w) => `live ${w.name}: ${w.model} on ${w.node} watches ${w.runDir}${w.poll ? " (polling)" : ""}, calls to ${w.outputDir}`),
  ];
}
