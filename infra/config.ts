import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { benchmarkConfigSchema, benchmarkProblems as benchmarkConfigProblems } from "../components/benchmark-run/config";
import type { ConfigProblem } from "../domain/config-problem";
import { maskUrlsIn } from "../domain/mask-url";
import { builtImagePaths, imagesConfigSchema, weightsProblems } from "../components/model-image/config";
import { BOARDS, MODELS, MODEL_NODE_PORTS, ModelName } from "../domain/models";
import { liveWatcherProblems, liveWatchersSchema } from "./live-config";
import { METRICS_STORE_DEFAULTS, TELEMETRY_DEFAULTS, metricsStoreConfigSchema, telemetryConfigSchema } from "./services-config";
import { DNS_LABEL as K8S_NAME } from "../domain/dns-label";

/**
 * The whole stack configuration (namespace `edgecall:` in `stacks/Pulumi.<stack>.yaml`), validated
 * before any resource is created. The same schema serves `npm run validate` (reading the YAML file,
 * where a secret is `{secure: ...}`) and `pulumi up` (reading decrypted values at run time), so it is
 * built from the shape a secret takes in each place.
 */

/** In the stack file a secret reads `{secure: "v1:..."}`; anything else there is plain text. */
export const secureMarker = z.strictObject({ secure: z.string().min(1) });
export type SecureMarker = z.infer<typeof secureMarker>;

const K3S_VERSION = /^v\d+\.\d+\.\d+\+k3s\d+$/;
const HOST = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[?[0-9A-Fa-f:]+\]?$/;

type SecretSource = "stack-file" | "runtime";

/**
 * A secret field. In the stack file it must be a `{secure: ...}` marker; a plain string there is the
 * mistake this check exists for. At run time Pulumi has already decrypted it to a string.
 */
function secretField(source: SecretSource, setCommand: string): z.ZodType<string, unknown> {
  if (source === "runtime") return z.string().min(1);
  return z
    .unknown()
    .superRefine((value, ctx) => {
      if (typeof value === "string") {
        ctx.addIssue({ code: "custom", message: `is plain text; it must be a Pulumi secret: ${setCommand}` });
      } else if (!secureMarker.safeParse(value).success) {
        ctx.addIssue({ code: "custom", message: `expected a Pulumi secret: ${setCommand}` });
      }
    })
    .transform(() => ENCRYPTED);
}

/** What a secret reads as after a stack-file check: the file holds only its ciphertext. */
export const ENCRYPTED = "(encrypted in the stack file)";

function buildSchema(secrets: SecretSource) {
  const node = z.strictObject({
    /** Kubernetes node name of the board. */
    name: z.string().regex(K8S_NAME, "expected a lowercase DNS label (a-z, 0-9, '-'), at most 63 characters").max(63),
    /** Address the Pulumi host reaches the board at over SSH. */
    host: z.string().regex(HOST, "expected a hostname or an IP address"),
    port: z.number().int().min(1).max(65535).default(22),
    /** SSH user on this board; defaults to `ssh.user`. */
    user: z.string().min(1).optional(),
    role: z.enum(["server", "agent"]),
    board: z.enum(BOARDS),
    /** Models this board runs. */
    models: z.array(z.enum(MODELS)).default([]),
    /** nvpmodel mode for this board, overriding `power.nvpmodel[board]`. */
    powerMode: z.number().int().min(0).max(15).optional(),
    /** Pinned SSH host key (`ssh-ed25519 AAAA...`); without it the host key is not checked. */
    hostKey: z.string().regex(/^(ssh|ecdsa)-[a-z0-9-]+ [A-Za-z0-9+/=]+$/, "expected '<type> <base64 key>'").optional(),
  });

  const airgap = z.strictObject({
    source: z.literal("airgap"),
    /** Local path of the K3s arm64 binary (`k3s-arm64` from the K3s release). */
    binary: z.string().min(1),
    /** Local path of the air-gap image tarball (`k3s-airgap-images-arm64.tar.zst`). */
    images: z.string().min(1),
    /** Local path of the K3s install script (`install.sh`). */
    installScript: z.string().min(1),
  });

  return z.strictObject({
    nodes: z.array(node).min(1, "expected at least one node"),
    ssh: z.strictObject({
      user: z.string().min(1).default("jetson"),
      privateKey: secretField(secrets, "pulumi config set --secret --path 'edgecall:ssh.privateKey' < ~/.ssh/id_ed25519"),
      sudoPassword: secretField(secrets, "pulumi config set --secret --path 'edgecall:ssh.sudoPassword'").optional(),
      /** Dial attempts before a board counts as unreachable. */
      dialErrorLimit: z.number().int().min(1).max(100).default(3),
      /** Seconds for each dial attempt. */
      perDialTimeout: z.number().int().min(1).max(300).default(10),
    }),
    k3s: z
      .strictObject({
        version: z.string().regex(K3S_VERSION, "expected a K3s release such as v1.30.6+k3s1").default("v1.30.6+k3s1"),
        runtime: z.enum(["docker", "containerd"]).default("containerd"),
        install: z.discriminatedUnion("source", [z.strictObject({ source: z.literal("online") }), airgap]).default({ source: "online" }),
        extraServerArgs: z.array(z.string()).default([]),
        extraAgentArgs: z.array(z.string()).default([]),
        /** Render Kubernetes objects to this directory instead of applying them (used by the sim stack). */
        renderManifestsTo: z.string().min(1).optional(),
        /**
         * A cluster the boards already run (K3s or any Kubernetes, its nodes named as nodes[].name):
         * edgecall installs no K3s, labels those nodes and deploys onto the cluster. Only `runtime` of
         * the other K3s settings applies.
         */
        existing: z
          .strictObject({ kubeconfig: secretField(secrets, "pulumi config set --secret --path 'edgecall:k3s.existing.kubeconfig' < KUBECONFIG") })
          .optional(),
      })
      .default({ version: "v1.30.6+k3s1", runtime: "containerd", install: { source: "online" }, extraServerArgs: [], extraAgentArgs: [] }),
    power: z
      .strictObject({
        /** nvpmodel mode per board kind (Nano: 0 = MAXN 10 W, 1 = 5 W). */
        nvpmodel: z.strictObject({ nano: z.number().int().min(0).default(0), xavier: z.number().int().min(0).default(0), orin: z.number().int().min(0).default(0) }).default({ nano: 0, xavier: 0, orin: 0 }),
        jetsonClocks: z.boolean().default(true),
        fan: z.union([z.enum(["auto", "max"]), z.number().int().min(0).max(255)]).default("auto"),
        /** Size of the swap file edgecall adds; 0 adds none. */
        swapMb: z.number().int().min(0).max(65536).default(4096),
        /** Boot to a text console (multi-user.target) to free the GUI's memory. */
        headless: z.boolean().default(false),
      })
      .default({ nvpmodel: { nano: 0, xavier: 0, orin: 0 }, jetsonClocks: true, fan: "auto", swapMb: 4096, headless: false }),
    scheduling: z
      .strictObject({
        mode: z.enum(["one-per-node", "packed"]).default("one-per-node"),
        /** GPU time-slicing replicas per board when `packed`. */
        timeSlicingReplicas: z.number().int().min(2).max(16).default(4),
      })
      .default({ mode: "one-per-node", timeSlicingReplicas: 4 }),
    gpu: z
      .strictObject({
        /** NVIDIA k8s-device-plugin release; Tegra boards need v0.15.0 or later. */
        devicePluginVersion: z.string().regex(/^v\d+\.\d+\.\d+$/, "expected a release such as v0.17.0").default("v0.17.0"),
        /**
         * Deploy the NVIDIA device plugin. Off only where no GPU can be seen (simulated boards), where
         * it would never become ready; the model services get the GPU through the runtime anyway.
         */
        devicePlugin: z.boolean().default(true),
        /** Minimum free disk on `/` that preflight requires, in MB. */
        minFreeDiskMb: z.number().int().min(0).default(8192),
      })
      .default({ devicePluginVersion: "v0.17.0", devicePlugin: true, minFreeDiskMb: 8192 }),
    /** Container images the workloads run, built here or prebuilt, and the registry built ones go to. */
    images: imagesConfigSchema.optional(),
    /** The central metrics database (PostgreSQL on the server) and optional Grafana. */
    metricsStore: metricsStoreConfigSchema.default(METRICS_STORE_DEFAULTS),
    /** The per-board telemetry exporter (a DaemonSet). */
    telemetry: telemetryConfigSchema.default(TELEMETRY_DEFAULTS),
    /** The benchmark protocol (ARCHITECTURE section 6); omit to deploy without benchmarks. */
    benchmark: benchmarkConfigSchema.optional(),
    /** Run directories the boards watch and call as they are written (docs/live.md). */
    live: liveWatchersSchema,
  });
}

/** The schema over the stack file as written (secrets are `{secure: ...}`). */
export const stackFileConfigSchema = buildSchema("stack-file");
/** The schema over decrypted run-time values (secrets are strings whose keys Pulumi marks secret). */
export const runtimeConfigSchema = buildSchema("runtime");

export type StackConfig = z.infer<typeof runtimeConfigSchema>;
export type NodeConfig = StackConfig["nodes"][number];

/** The models the boards run, each once, in the order the nodes list them. */
export function placedModels(config: Pick<StackConfig, "nodes">): ModelName[] {
  return [...new Set(config.nodes.flatMap((node) => node.models))];
}

export type { ConfigProblem };

export function formatPath(parts: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const part of parts) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out.length === 0 ? String(part) : `.${String(part)}`;
  }
  return out.length === 0 ? "(config)" : out;
}

const SECRET_PATHS = new Set(["ssh.privateKey", "ssh.sudoPassword", "k3s.existing.kubeconfig"]);

/**
 * `, got "master"` for a wrong scalar; never for a secret's path, whose value must not be printed,
 * and a URL's user, password and query masked first (a weights URL may carry them).
 */
function describeFound(where: string, input: unknown): string {
  if (SECRET_PATHS.has(where)) return "";
  if (typeof input === "string") {
    const shown = maskUrlsIn(input);
    return `, got ${JSON.stringify(shown.length > 60 ? `${shown.slice(0, 57)}...` : shown)}`;
  }
  if (typeof input === "number" || typeof input === "boolean") return `, got ${String(input)}`;
  return "";
}

/** Checks that zod cannot express per field: one server, unique names and addresses, model placement, local files. */
function crossFieldProblems(config: StackConfig, baseDir: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const servers = config.nodes.filter((n) => n.role === "server");
  if (servers.length !== 1) {
    problems.push({ path: "nodes", message: `expected exactly one node with role "server", found ${servers.length}` });
  }
  const firstByName = new Map<string, number>();
  // Keyed without case: DNS ignores it, so NANO-A.local and nano-a.local are one board.
  const firstByAddress = new Map<string, number>();
  config.nodes.forEach((node, i) => {
    const address = `${node.host}:${node.port}`;
    const addressKey = address.toLowerCase();
    const sameName = firstByName.get(node.name);
    const sameAddress = firstByAddress.get(addressKey);
    if (sameName !== undefined) problems.push({ path: `nodes[${i}].name`, message: `${node.name} is already the name of nodes[${sameName}]` });
    if (sameAddress !== undefined) {
      const first = config.nodes[sameAddress];
      const firstAddress = `${first.host}:${first.port}`;
      const caseNote = firstAddress === address ? "" : ` (${firstAddress}: hostnames ignore case)`;
      problems.push({ path: `nodes[${i}].host`, message: `${address} is already the address of nodes[${sameAddress}]${caseNote}` });
    }
    firstByName.set(node.name, firstByName.get(node.name) ?? i);
    firstByAddress.set(addressKey, firstByAddress.get(addressKey) ?? i);
    const duplicateModel = node.models.find((m, j) => node.models.indexOf(m) !== j);
    if (duplicateModel !== undefined) {
      problems.push({ path: `nodes[${i}].models`, message: `lists ${duplicateModel} twice` });
    }
    if (config.scheduling.mode === "one-per-node" && node.models.length > 1) {
      problems.push({ path: `nodes[${i}].models`, message: `scheduling.mode "one-per-node" allows one model per node, found ${node.models.length}; use "packed" or spread the models` });
    }
  });
  const placed = new Map<string, number>();
  config.nodes.forEach((node, i) =>
    node.models.forEach((model) => {
      const first = placed.get(model);
      if (first !== undefined && config.scheduling.mode === "one-per-node") {
        problems.push({ path: `nodes[${i}].models`, message: `${model} is already on nodes[${first}]; "one-per-node" runs each model on one board` });
      }
      placed.set(model, i);
    }),
  );
  if (config.scheduling.mode === "packed" && !config.gpu.devicePlugin) {
    problems.push({ path: "gpu.devicePlugin", message: 'scheduling.mode "packed" shares each GPU by the device plugin\'s time-slicing; set gpu.devicePlugin: true' });
  }
  problems.push(...imageProblems(config), ...portProblems(config), ...benchmarkProblems(config, baseDir));
  problems.push(...existingClusterProblems(config));
  problems.push(...liveWatcherProblems(config.live, config.nodes));
  const install = config.k3s.install;
  if (install.source === "airgap" && config.k3s.existing === undefined) {
    for (const field of ["binary", "images", "installScript"] as const) {
      const file = path.resolve(baseDir, install[field]);
      if (!fs.existsSync(file)) {
        problems.push({ path: `k3s.install.${field}`, message: `file ${file} does not exist` });
      }
    }
  }
  return problems;
}

/** On a cluster edgecall does not own, settings that only its own K3s install can honour are refused. */
function existingClusterProblems(config: StackConfig): ConfigProblem[] {
  if (config.k3s.existing === undefined) return [];
  const problems: ConfigProblem[] = [];
  const owned = "applies only to the K3s edgecall installs; remove it, or remove k3s.existing";
  if (config.k3s.install.source === "airgap") problems.push({ path: "k3s.install", message: owned });
  if (config.k3s.extraServerArgs.length > 0) problems.push({ path: "k3s.extraServerArgs", message: owned });
  if (config.k3s.extraAgentArgs.length > 0) problems.push({ path: "k3s.extraAgentArgs", message: owned });
  if (config.k3s.renderManifestsTo !== undefined) problems.push({ path: "k3s.renderManifestsTo", message: owned });
  const registry = config.images?.registry;
  if (registry !== undefined && "inCluster" in registry) {
    problems.push({
      path: "images.registry.inCluster",
      message: "needs every board's K3s to mirror it (registries.yaml), which edgecall does not change on a cluster it does not own (k3s.existing); use images.registry.external or prebuilt images",
    });
  }
  return problems;
}

/** Every model a board runs needs an image; built images need a registry; the store and telemetry need the tools. */
function imageProblems(config: StackConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const images = config.images;
  config.nodes.forEach((node, i) => {
    for (const model of node.models) {
      if (images?.models[model] === undefined) {
        problems.push({ path: `images.models.${model}`, message: `nodes[${i}] (${node.name}) runs ${model} but it has no image: give {build: {}} or a prebuilt reference` });
      }
    }
  });
  if (images !== undefined && images.registry === undefined) {
    for (const where of builtImagePaths(images)) {
      problems.push({ path: where, message: "is built, so images.registry must say where to push it ({inCluster: {}} or {external: host:port/path})" });
    }
  }
  for (const key of ["converter", "tools"] as const) {
    const source = images?.[key];
    if (source?.kind === "build" && (source.base !== undefined || source.upstreamCommit !== undefined)) {
      problems.push({ path: `images.${key}.build`, message: "base and upstreamCommit apply to model images only; use {build: {}}" });
    }
  }
  problems.push(...weightsProblems(images));
  if (images?.tools === undefined) {
    if (config.metricsStore.enabled === true) problems.push({ path: "images.tools", message: "the metrics store's schema migration runs the tools image; set images.tools or metricsStore.enabled: false" });
    if (config.telemetry.enabled === true) problems.push({ path: "images.tools", message: "the telemetry DaemonSet runs the tools image; set images.tools or telemetry.enabled: false" });
  }
  return problems;
}

/** NodePorts edgecall opens must not collide, and K3s' NodePort range is edgecall's to set. */
function portProblems(config: StackConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const taken = new Map<number, string>(Object.entries(MODEL_NODE_PORTS).map(([model, port]) => [port, `the ${model} service`]));
  const claim = (port: number, where: string) => {
    const owner = taken.get(port);
    if (owner !== undefined) problems.push({ path: where, message: `${port} is already the NodePort of ${owner}` });
    taken.set(port, where);
  };
  const registry = config.images?.registry;
  if (registry !== undefined && "inCluster" in registry) claim(registry.inCluster.port, "images.registry.inCluster.port");
  if (config.metricsStore.grafana.enabled) claim(config.metricsStore.grafana.nodePort, "metricsStore.grafana.nodePort");
  config.k3s.extraServerArgs.forEach((arg, i) => {
    if (arg.startsWith("--service-node-port-range")) {
      problems.push({ path: `k3s.extraServerArgs[${i}]`, message: "edgecall sets --service-node-port-range itself (the model services use ports 6001-6004); remove it" });
    }
  });
  return problems;
}

/** A benchmark needs the images of every model it runs; its own checks are the component's. */
function benchmarkProblems(config: StackConfig, baseDir: string): ConfigProblem[] {
  const benchmark = config.benchmark;
  if (benchmark === undefined) return [];
  const problems: ConfigProblem[] = [];
  const images = config.images;
  if (images?.converter === undefined) problems.push({ path: "images.converter", message: "a benchmark needs the converter image" });
  if (images?.tools === undefined) problems.push({ path: "images.tools", message: "a benchmark needs the tools image (the edgecall CLI)" });
  const models = new Set(placedModels(config));
  if (benchmark.scaling !== undefined) models.add(benchmark.scaling.model);
  for (const model of models) {
    const placed = config.nodes.some((node) => node.models.includes(model));
    if (images?.models[model] === undefined && !placed) problems.push({ path: `images.models.${model}`, message: `${model} is benchmarked but has no runner image` });
  }
  return [...problems, ...benchmarkConfigProblems(benchmark, { boards: config.nodes.length, baseDir, models: placedModels(config) })];
}

export type ValidationResult<T> = { ok: true; config: T } | { ok: false; problems: ConfigProblem[] };

/**
 * Validates the `edgecall:` part of a stack's config. `values` maps keys without the namespace
 * (`nodes`, `ssh`, ...) to their parsed values; `baseDir` resolves relative local paths (air-gap files).
 */
export function validateConfig(
  values: Record<string, unknown>,
  baseDir: string,
  mode: SecretSource,
): ValidationResult<StackConfig> {
  const schema = mode === "stack-file" ? stackFileConfigSchema : runtimeConfigSchema;
  const parsed = schema.safeParse(values, { reportInput: true });
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => {
        const where = formatPath(issue.path);
        if (issue.code === "unrecognized_keys") {
          return { path: where, message: `unknown key(s) ${issue.keys.join(", ")}` };
        }
        return { path: where, message: `${issue.message}${describeFound(where, issue.input)}` };
      }),
    };
  }
  const config = parsed.data;
  const problems = crossFieldProblems(config, baseDir);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config };
}
