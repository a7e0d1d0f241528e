import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

export const TELEMETRY_NAME = "edgecall-telemetry";
/** Where L4T installs tegrastats on every board; the exporter runs the board's own copy. */
export const HOST_TEGRASTATS = "/usr/bin/tegrastats";

export interface TelemetryArgs {
  provider: k8s.Provider;
  namespace: pulumi.Input<string>;
  /** The tools image (`edgecall telemetry export`). */
  toolsImage: pulumi.Input<string>;
  port: number;
  intervalMs: number;
  /** For boards whose tegrastats needs debugfs; otherwise the exporter drops every capability. */
  privileged: boolean;
  /** `edgecall telemetry export --source`: auto, tegrastats or sysfs. */
  source: "auto" | "tegrastats" | "sysfs";
}

/** The exporter's DaemonSet spec: one pod per board on the host network, so each board's port answers for it. */
export function telemetryDaemonSetSpec(args: Omit<TelemetryArgs, "provider" | "namespace">): k8s.types.input.apps.v1.DaemonSetSpec {
  const labels = { "app.kubernetes.io/name": TELEMETRY_NAME, "app.kubernetes.io/part-of": "edgecall" };
  return {
    selector: { matchLabels: labels },
    template: {
      metadata: {
        labels,
        annotations: { "prometheus.io/scrape": "true", "prometheus.io/port": String(args.port), "prometheus.io/path": "/metrics" },
      },
      spec: {
        hostNetwork: true,
        dnsPolicy: "ClusterFirstWithHostNet",
        containers: [
          {
            name: "exporter",
            image: args.toolsImage,
            command: ["edgecall", "telemetry", "export", "--port", String(args.port), "--interval-ms", String(args.intervalMs), "--source", args.source],
            ports: [{ name: "metrics", containerPort: args.port, hostPort: args.port }],
            readinessProbe: { httpGet: { path: "/healthz", port: "metrics" }, periodSeconds: 10 },
            // The board's tegrastats on PATH; without it `export` falls back to the INA3221 rails in sysfs.
            volumeMounts: [{ name: "tegrastats", mountPath: "/usr/local/bin/tegrastats", readOnly: true }],
            securityContext: args.privileged ? { privileged: true } : { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
            resources: { requests: { cpu: "20m", memory: "48Mi" }, limits: { memory: "160Mi" } },
          },
        ],
        volumes: [{ name: "tegrastats", hostPath: { path: HOST_TEGRASTATS, type: "File" } }],
      },
    },
  };
}

/** tegrastats and the power rails of every board as Prometheus metrics on `<board>:<port>/metrics`. */
export class Telemetry extends pulumi.ComponentResource {
  public readonly port: number;

  constructor(name: string, args: TelemetryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("edgecall:telemetry:Telemetry", name, {}, opts);
    new k8s.apps.v1.DaemonSet(
      `${name}-daemonset`,
      { metadata: { name: TELEMETRY_NAME, namespace: args.namespace }, spec: telemetryDaemonSetSpec(args) },
      { parent: this, provider: args.provider },
    );
    this.port = args.port;
    this.registerOutputs({ port: this.port });
  }
}
