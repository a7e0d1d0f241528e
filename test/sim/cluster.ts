import * as fs from "fs";
import * as path from "path";
import { simDir } from "./boards";
import { runProgram } from "../helpers/run-program";

/**
 * What simulated boards need to run a real cluster (the K3s stand-in, test/sim/k3s): the multi-call
 * upstream Kubernetes binary and the container images, each built from the registries by its own
 * script and cached by content, and the containerd store they are loaded into once for every board
 * (cluster-store.sh), so that this is quick once they exist. `npm test`'s setup of the e2e
 * tier builds them first (test/setup/install-e2e-tier.sh).
 */
export interface ClusterArtifacts {
  kubeBin: string;
  /** Image reference -> docker-archive, each loaded into the boards' containerd store. */
  images: Record<string, string>;
  /** The containerd store holding every image, which each cluster board gets a copy of (cluster-store.sh). */
  store: string;
  /** The file sim-board.sh reads through EDGECALL_SIM_CLUSTER. */
  envFile: string;
  /** Each image's reference -> its digest in the store, which pods may name it by. */
  digests: Record<string, string>;
}

const HERE = __dirname;

/** Images that only other images build on: no pod runs them. */
const BUILD_ONLY = /^localhost\/edgecall-sim\//;

// Not spawnSync: building the containerd store takes minutes when an image changed, and a test
// worker blocked that long misses vitest's RPC deadline (test/helpers/run-program.ts).
async function run(script: string, args: string[] = []): Promise<string> {
  const result = await runProgram("bash", [path.join(HERE, script), ...args]);
  if (result.status !== 0) throw new Error(`test/sim/${script} failed (exit ${result.status}):\n${result.stderr.slice(-4000)}`);
  return result.stdout;
}

/** Builds (or finds cached) what a cluster board needs, and writes the env file for sim-board.sh. */
export async function prepareCluster(): Promise<ClusterArtifacts> {
  const kubeBin = (await run("kube/build.sh")).trim().split("\n").pop() ?? "";
  if (!fs.existsSync(kubeBin)) throw new Error(`test/sim/kube/build.sh printed no binary path (got ${JSON.stringify(kubeBin)})`);
  const images: Record<string, string> = {};
  for (const line of [await run("cluster-images/build.sh"), await run("images/build-images.sh")].join("\n").split("\n")) {
    const [reference, archive] = line.trim().split(/\s+/);
    if (reference && archive && !BUILD_ONLY.test(reference)) images[reference] = archive;
  }
  const archives = [...new Set(Object.values(images))];
  const store = (await run("cluster-store.sh", archives)).trim().split("\n").pop() ?? "";
  if (!fs.existsSync(path.join(store, "root"))) throw new Error(`test/sim/cluster-store.sh printed no store (got ${JSON.stringify(store)})`);
  fs.mkdirSync(simDir, { recursive: true });
  const envFile = path.join(simDir, "cluster.env");
  fs.writeFileSync(envFile, `KUBE_BIN=${kubeBin}\nCONTAINERD_STORE=${store}\n`);
  const digests: Record<string, string> = {};
  for (const line of fs.readFileSync(path.join(store, "digests.tsv"), "utf8").split("\n")) {
    const [reference, digest] = line.split("\t");
    if (reference && digest) digests[reference] = digest;
  }
  return { kubeBin, images, store, envFile, digests };
}
