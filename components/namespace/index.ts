import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** The namespace of edgecall's long-running workloads: model services, registry, metrics store, telemetry. */
export const WORKLOAD_NAMESPACE = "edgecall";

/** Creates the workload namespace; every workload component depends on it. */
export function workloadNamespace(provider: k8s.Provider, opts: pulumi.CustomResourceOptions = {}): k8s.core.v1.Namespace {
  return new k8s.core.v1.Namespace(
    "edgecall-namespace",
    { metadata: { name: WORKLOAD_NAMESPACE, labels: { "app.kubernetes.io/part-of": "edgecall" } } },
    { ...opts, provider },
  );
}
