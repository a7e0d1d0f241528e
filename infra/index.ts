/**
 * The edgecall program: validate the stack config, then tune the boards, install K3s, give the
 * cluster GPU access and run the benchmarks. Composition only; each concern lives in its component.
 */
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "./runtime-config";
import { buildBenchmarks } from "./benchmarks";
import { buildCluster } from "./cluster";
import { buildWorkloads } from "./workloads";
import { projectRoot } from "../domain/project-files";

const projectDir = projectRoot(__dirname);
const config = loadStackConfig(projectDir, pulumi.getStack(), pulumi.runtime.allConfig());
const cluster = buildCluster(config, projectDir);
const workloads = buildWorkloads(config, cluster);
const bench = buildBenchmarks(config, projectDir, cluster, workloads);

export const nodes = cluster.nodes;
export const kubeconfig = cluster.kubeconfig;
export const serverUrl = cluster.serverUrl;
/** Model to the URL of its service (`http://<board>:<NodePort>`). */
export const endpoints = workloads.endpoints;
/** Image to what the pods run: reference, digest (null for a prebuilt tag) and, for a built model, its base. */
export const images = workloads.images.summaries;
/** The metrics store's in-cluster address (and Grafana's URL when it runs); absent when disabled. */
export const metricsStore = workloads.metricsStoreSummary;
/** Watched run directory (`live[].name`) to its node, model, directories and metrics address; empty without `live`. */
export const watchers = workloads.watchers;
/** Model to its benchmark outcome (one summary per repeat); absent without a `benchmark` config. */
export const benchmarks = bench?.benchmarks;
/** Scaling model to its speedup curve, where a scaling benchmark ran. */
export const scaling = bench?.scaling;
/** Model to its service's throughput and latency at each `benchmark.concurrency` level. */
export const load = bench?.load;
/** Model to its live benchmark: per `benchmark.live` speed, offered and sustained samples/s, latency, backlog and verdict. */
export const live = bench?.live;
