import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ModelName } from "../../domain/models";
import { urlHost } from "../remote/url-host";
import { ModelPodSettings, RUNNER_PORT, modelDeploymentSpec, serviceLabels, serviceName } from "./spec";

/** The Traefik middleware (a K3s add-on CRD) that strips `/<model>` before a request reaches the runner. */
export const STRIP_PREFIX_MIDDLEWARE = "edgecall-strip-model-prefix";

export interface ModelServiceArgs extends ModelPodSettings {
  provider: k8s.Provider;
  namespace: pulumi.Input<string>;
  /** NodePort of the model (SACall 6001, CATCaller 6002, Chiron 6003, RODAN 6004). */
  nodePort: number;
  /** Addresses of the boards that run it; the first is the endpoint's host. */
  boardHosts: string[];
}

/**
 * One basecaller as a service: a Deployment pinned to its boards by node label, a NodePort Service
 * on the model's port, and an Ingress path `/<model>` on K3s' Traefik.
 */
export class ModelService extends pulumi.ComponentResource {
  /** `http://<board>:<nodePort>`, the URL users call from outside the cluster. */
  public readonly endpoint: string;
  /** `http://edgecall-<model>.<namespace>.svc.cluster.local:8080`, for pods (the load Jobs). */
  public readonly clusterUrl: pulumi.Output<string>;
  /** The Service, created once the Deployment is ready (the runner answers /readyz). */
  public readonly ready: pulumi.Resource;

  constructor(name: string, args: ModelServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("edgecall:models:ModelService", name, {}, opts);
    if (args.boardHosts.length === 0) throw new pulumi.RunError(`${args.model}: no board runs it`);
    const childOpts = { parent: this, provider: args.provider };
    const metadata = { name: serviceName(args.model), namespace: args.namespace, labels: serviceLabels(args.model) };
    const deployment = new k8s.apps.v1.Deployment(`${name}-deployment`, { metadata, spec: modelDeploymentSpec(args) }, childOpts);
    const service = new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata,
        spec: {
          type: "NodePort",
          selector: serviceLabels(args.model),
          ports: [{ name: "http", port: RUNNER_PORT, targetPort: "http", nodePort: args.nodePort }],
        },
      },
      { ...childOpts, dependsOn: [deployment] },
    );
    new k8s.networking.v1.Ingress(
      `${name}-ingress`,
      {
        metadata: {
          ...metadata,
          annotations: {
            // The NodePort is the service's address; waiting for Traefik to publish an Ingress status
            // would hang `pulumi up` on a cluster started with --disable=traefik.
            "pulumi.com/skipAwait": "true",
            "traefik.ingress.kubernetes.io/router.middlewares": pulumi.interpolate`${args.namespace}-${STRIP_PREFIX_MIDDLEWARE}@kubernetescrd`,
          },
        },
        spec: {
          rules: [
            {
              http: {
                paths: [{ path: ingressPath(args.model), pathType: "Prefix", backend: { service: { name: service.metadata.name, port: { name: "http" } } } }],
              },
            },
          ],
        },
      },
      childOpts,
    );
    this.clusterUrl = pulumi.interpolate`http://${service.metadata.name}.${args.namespace}.svc.cluster.local:${RUNNER_PORT}`;
    this.ready = service;
    this.endpoint = `http://${urlHost(args.boardHosts[0])}:${args.nodePort}`;
    this.registerOutputs({ endpoint: this.endpoint });
  }
}

export function ingressPath(model: ModelName): string {
  return `/${model}`;
}

/** The one middleware every model Ingress names: strips the first path segment (`/sacall/v1/info` → `/v1/info`). */
export function stripPrefixMiddleware(
  provider: k8s.Provider,
  namespace: pulumi.Input<string>,
  models: readonly ModelName[],
  opts: pulumi.CustomResourceOptions = {},
): k8s.apiextensions.CustomResource {
  return new k8s.apiextensions.CustomResource(
    "edgecall-strip-model-prefix",
    {
      apiVersion: "traefik.io/v1alpha1",
      kind: "Middleware",
      metadata: { name: STRIP_PREFIX_MIDDLEWARE, namespace },
      spec: { stripPrefix: { prefixes: models.map(ingressPath) } },
    },
    { ...opts, provider },
  );
}
