import * as pulumi from "@pulumi/pulumi";
import { RecordedResource, recordResources, stackConfigForMocks, valueOf } from "./pulumi-mocks";

/** A stack program run under mocks: what it registered and what it exported. */
export interface StackRun {
  resources: RecordedResource[];
  outputs: {
    nodes: Array<{ name: string; host: string; role: string; board: string; l4tRelease: string; powerMode: string }>;
    kubeconfig: string;
    kubeconfigIsSecret: boolean;
    serverUrl: string;
    benchmarks: Record<string, { status: string; runId: string }> | undefined;
    endpoints: Record<string, string>;
    load: Record<string, { status: string; runId: string; job?: string }> | undefined;
    live: Record<string, { status: string; runId: string; job?: string }> | undefined;
    watchers: Record<string, { node: string; model: string; runDir: string; outputDir: string; metrics: string }>;
    images: Record<string, { reference: string; digest: string | null; base?: string }>;
    metricsStore: { address: string; grafana?: string } | undefined;
  };
}

/** Runs `infra/index.ts` for one example stack under mocks. Call once per test file (module cache). */
export async function runStackUnderMocks(stack: string): Promise<StackRun> {
  const resources = await recordResources(stack);
  pulumi.runtime.setAllConfig(stackConfigForMocks(stack), ["edgecall:ssh"]);
  const program = await import("../../../infra/index");
  const outputs = {
    nodes: await valueOf(program.nodes),
    kubeconfig: await valueOf(program.kubeconfig),
    kubeconfigIsSecret: await pulumi.isSecret(program.kubeconfig),
    serverUrl: await valueOf(program.serverUrl),
    benchmarks: program.benchmarks === undefined ? undefined : await valueOf(program.benchmarks),
    endpoints: program.endpoints,
    load: program.load === undefined ? undefined : await valueOf(program.load),
    live: program.live === undefined ? undefined : await valueOf(program.live),
    watchers: await valueOf(program.watchers),
    images: await valueOf(program.images),
    metricsStore: program.metricsStore === undefined ? undefined : await valueOf(program.metricsStore),
  };
  // Resources whose inputs are still resolving register a little later than the outputs above.
  await new Promise((resolve) => setTimeout(resolve, 200));
  return { resources, outputs };
}

export function byName(run: StackRun, name: string): RecordedResource {
  const found = run.resources.find((r) => r.name === name);
  if (found === undefined) throw new Error(`no resource named ${name}; have ${run.resources.map((r) => r.name).join(", ")}`);
  return found;
}

/** The values a host step (`edgecall:host:Step`) passes to its script. */
export function stepEnv(resource: RecordedResource): Record<string, string> {
  const step = resource.inputs.step as { env?: Record<string, string> } | undefined;
  if (resource.type !== "edgecall:host:Step" || step?.env === undefined) throw new Error(`${resource.name} is not a host step`);
  return step.env;
}

/** The files a host step copies to the board before it runs. */
export function stepUploads(resource: RecordedResource): { dir: string; files: Array<{ source: string; target: string; sha256: string }> } | undefined {
  return resource.inputs.uploads as ReturnType<typeof stepUploads>;
}
