import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export const REGISTRY_NAME = "edgecall-registry";
const CONTAINER_PORT = 5000;

export interface RegistryArgs {
  provider: k8s.Provider;
  namespace: pulumi.Input<string>;
  /** Kubernetes node name of the K3s server, where the registry and its volume live. */
  serverNodeName: string;
  /** NodePort on the server. */
  port: number;
  storageGi: number;
  image: string;
}

/**
 * A container registry on the K3s server (CNCF distribution, plain HTTP on a NodePort) that the
 * Pulumi host pushes built images to and every board pulls from, so a site needs no internet
 * once the bases are in it. Its volume is a local-path claim, removed with the registry.
 */
export class Registry extends pulumi.ComponentResource {
  /** Ready once the registry answers (the Deployment's readiness on `/v2/`). */
  public readonly ready: pulumi.Resource;

  constructor(name: string, args: RegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("edgecall:registry:Registry", name, {}, opts);
    const childOpts = { parent: this, provider: args.provider };
    const labels = { "app.kubernetes.io/name": REGISTRY_NAME, "app.kubernetes.io/part-of": "edgecall" };
    const claim = new k8s.core.v1.PersistentVolumeClaim(
      `${name}-storage`,
      {
        // K3s' local-path provisioner binds on first use, so Pulumi must not wait for the claim.
        metadata: { name: REGISTRY_NAME, namespace: args.namespace, labels, annotations: { "pulumi.com/skipAwait": "true" } },
        spec: { accessModes: ["ReadWriteOnce"], storageClassName: "local-path", resources: { requests: { storage: `${args.storageGi}Gi` } } },
      },
      childOpts,
    );
    const deployment = new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: { name: REGISTRY_NAME, namespace: args.namespace, labels },
        spec: {
          replicas: 1,
          // One pod owns the ReadWriteOnce volume; a rolling update would start a second one.
          strategy: { type: "Recreate" },
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              nodeSelector: { "kubernetes.io/hostname": args.serverNodeName },
              containers: [
                {
                  name: "registry",
                  image: args.image,
                  ports: [{ name: "http", containerPort: CONTAINER_PORT }],
                  env: [{ name: "REGISTRY_STORAGE_DELETE_ENABLED", value: "true" }],
                  readinessProbe: { httpGet: { path: "/v2/", port: "http" }, periodSeconds: 5 },
                  volumeMounts: [{ name: "storage", mountPath: "/var/lib/registry" }],
                  resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
                },
              ],
              volumes: [{ name: "storage", persistentVolumeClaim: { claimName: claim.metadata.name } }],
            },
          },
        },
      },
      childOpts,
    );
    const service = new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: { name: REGISTRY_NAME, namespace: args.namespace, labels },
        spec: { type: "NodePort", selector: labels, ports: [{ name: "http", port: CONTAINER_PORT, targetPort: "http", nodePort: args.port }] },
      },
      { ...childOpts, dependsOn: [deployment] },
    );
    this.ready = service;
    this.registerOutputs({});
  }
}
