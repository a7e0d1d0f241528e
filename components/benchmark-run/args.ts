import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ModelName } from "../../domain/models";
import type { WeightsSource } from "../model-image/weights";
import type { BoardConnection } from "../remote/host-step";
import type { BenchmarkConfig } from "./config";

/** A board that takes part in the benchmarks. */
export interface BenchmarkBoard {
  /** Kubernetes node name of the board (its `kubernetes.io/hostname`). */
  nodeName: string;
  /** How to reach the board over SSH, for staging the dataset. */
  connection: BoardConnection;
  /** The sudo password of the SSH user (a Pulumi secret); omit for root or NOPASSWD sudo. */
  sudoPassword?: pulumi.Input<string>;
  /** Models the board runs; each gets its benchmark Jobs here. */
  models: readonly ModelName[];
  /**
   * Staging waits for this resource: the board's last tuning step, so that the dataset is copied
   * while K3s is installed (the Jobs wait for the cluster on their own).
   */
  ready?: pulumi.Resource;
  /** The board's kind (`nodes[].board`), L4T release and power mode, for the summaries. */
  kind?: string;
  l4tRelease?: pulumi.Input<string>;
  powerMode?: pulumi.Input<string>;
}

/** Container images of the benchmark pods. */
export interface BenchmarkImages {
  /** Runner image of each model (`edgecall-runner`); every benchmarked model needs one. */
  models: Partial<Record<ModelName, pulumi.Input<string>>>;
  /** The FAST5 converter image (`edgecall-convert`). */
  converter: pulumi.Input<string>;
  /** The tools image with the `edgecall` CLI (telemetry, summarize, db push) and Node. */
  tools: pulumi.Input<string>;
  /** Pinned weights of the models that have them (`images.models.<model>.weights`). */
  weights?: Partial<Record<ModelName, WeightsSource>>;
}

export interface BenchmarkRunArgs {
  /** The cluster's Kubernetes provider. */
  provider: k8s.Provider;
  /** The boards; those that run a model (or take part in scaling) get the dataset. */
  boards: BenchmarkBoard[];
  /** Images of the models, the converter and the tools. */
  images: BenchmarkImages;
  /** The validated `benchmark` config (the component's own schema, config.ts), taken as it is. */
  config: BenchmarkConfig;
  /** Where the config's relative dataset paths resolve (the project directory). */
  baseDir: string;
  /** `nvidia` on containerd (from GpuRuntime); undefined on Docker. */
  runtimeClassName?: string;
  /** Whether a device plugin offers `nvidia.com/gpu` for the runner to ask for (default true). */
  gpuRequest?: boolean;
  /** The metrics store's `postgres://` URL (a secret); without it results go only to ConfigMaps. */
  metricsUrl?: pulumi.Input<string>;
  /** Whether `jetson_clocks` pins the boards' clocks (`power.jetsonClocks`), for provenance. */
  jetsonClocks?: boolean;
  /**
   * Read the result ConfigMaps back after each Job. False when the provider only renders manifests
   * to a directory: nothing runs, and every model reads "not measured: rendered only".
   */
  readResults: boolean;
  /**
   * Resolves once every board's node reports to the cluster and fails the update otherwise (see
   * reportingNodes); no Job is created before. Absent where the objects are only rendered.
   */
  nodesReporting?: pulumi.Input<readonly string[]>;
  /**
   * Each model service to drive with `edgecall loadgen` after the benchmark Jobs: its in-cluster
   * URL and the resource that is ready once the service answers. Models without one get no load Job.
   */
  loadTargets?: Partial<Record<ModelName, { url: pulumi.Input<string>; ready: pulumi.Resource }>>;
}
