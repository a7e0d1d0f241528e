/**
 * The edgecall program: validate the stack config, then tune the boards, install K3s and give the
 * cluster GPU access. Composition only; each concern lives in its component.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "./runtime-config";
import { buildCluster } from "./cluster";

const projectDir = path.resolve(__dirname, "..");
const config = loadStackConfig(projectDir, pulumi.getStack(), pulumi.runtime.allConfig());
const cluster = buildCluster(config, projectDir);

export const nodes = cluster.nodes;
export const kubeconfig = cluster.kubeconfig;
export const serverUrl = cluster.serverUrl;
