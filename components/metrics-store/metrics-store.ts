import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { urlHost } from "../remote/url-host";
import { GRAFANA_NAME, dashboardJson, dashboardProviderYaml, datasourceYaml } from "./grafana";
import { migrationJobSpec, migrationsHash } from "./migration";
import {
  DATABASE,
  DATABASE_USER,
  METRICS_NAME,
  PASSWORD_KEY,
  POSTGRES_PORT,
  URL_KEY,
  metricsAddress,
  metricsLabels,
  postgresStatefulSetSpec,
} from "./postgres";

export interface MetricsStoreArgs {
  provider: k8s.Provider;
  /** The namespace's name as an Output of the Namespace resource, so every object waits for it. */
  namespace: pulumi.Output<string>;
  serverNodeName: string;
  image: string;
  storageGi: number;
  /** The tools image, whose `edgecall db migrate` applies the schema. */
  toolsImage: pulumi.Input<string>;
  /** Grafana with the data source and dashboard provisioned; undefined for none. */
  grafana?: { image: string; nodePort: number; serverHost: string };
}

/**
 * The central metrics database: PostgreSQL on the K3s server with its volume there, a generated
 * password (a secret, never in plain state), the schema applied by a Job, and optional Grafana.
 */
export class MetricsStore extends pulumi.ComponentResource {
  /** `host:port` inside the cluster. */
  public readonly address: pulumi.Output<string>;
  /** `postgres://...` with the password (a secret), for the benchmark Jobs. */
  public readonly url: pulumi.Output<string>;
  /** Grafana's URL on the server, when it runs. */
  public readonly grafanaUrl: string | undefined;
  /** Done once the schema is applied. */
  public readonly migrated: pulumi.Resource;

  constructor(name: string, args: MetricsStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    super("edgecall:metrics:MetricsStore", name, {}, opts);
    const childOpts = { parent: this, provider: args.provider };
    const password = new random.RandomPassword(`${name}-password`, { length: 32, special: false }, { parent: this });
    this.address = args.namespace.apply(metricsAddress);
    this.url = pulumi.secret(pulumi.interpolate`postgres://${DATABASE_USER}:${password.result}@${this.address}/${DATABASE}`);
    const metadata = { name: METRICS_NAME, namespace: args.namespace, labels: metricsLabels };
    const secret = new k8s.core.v1.Secret(
      `${name}-secret`,
      { metadata, stringData: { [PASSWORD_KEY]: password.result, [URL_KEY]: this.url } },
      childOpts,
    );
    const service = new k8s.core.v1.Service(
      `${name}-service`,
      { metadata, spec: { selector: metricsLabels, ports: [{ name: "postgres", port: POSTGRES_PORT, targetPort: "postgres" }] } },
      childOpts,
    );
    const database = new k8s.apps.v1.StatefulSet(
      `${name}-postgres`,
      { metadata, spec: postgresStatefulSetSpec(args.image, args.serverNodeName, args.storageGi) },
      { ...childOpts, dependsOn: [secret, service] },
    );
    this.migrated = new k8s.batch.v1.Job(
      `${name}-migrate`,
      {
        metadata: { name: `${METRICS_NAME}-migrate-${migrationsHash()}`, namespace: args.namespace, labels: metricsLabels },
        spec: migrationJobSpec(args.toolsImage),
      },
      { ...childOpts, dependsOn: [database] },
    );
    this.grafanaUrl = args.grafana === undefined ? undefined : this.grafana(name, args, args.grafana, childOpts);
    this.registerOutputs({ address: this.address, grafanaUrl: this.grafanaUrl });
  }

  private grafana(
    name: string,
    args: MetricsStoreArgs,
    grafana: NonNullable<MetricsStoreArgs["grafana"]>,
    childOpts: pulumi.CustomResourceOptions,
  ): string {
    const labels = { "app.kubernetes.io/name": GRAFANA_NAME, "app.kubernetes.io/part-of": "edgecall" };
    const metadata = { name: GRAFANA_NAME, namespace: args.namespace, labels };
    const provisioning = new k8s.core.v1.ConfigMap(
      `${name}-grafana-provisioning`,
      {
        metadata,
        data: { "datasource.yaml": args.namespace.apply(datasourceYaml), "dashboards.yaml": dashboardProviderYaml(), "edgecall.json": dashboardJson() },
      },
      childOpts,
    );
    const file = (key: string, to: string) => ({ key, path: to });
    const deployment = new k8s.apps.v1.Deployment(
      `${name}-grafana`,
      {
        metadata,
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              nodeSelector: { "kubernetes.io/hostname": args.serverNodeName },
              containers: [
                {
                  name: "grafana",
                  image: grafana.image,
                  ports: [{ name: "http", containerPort: 3000 }],
                  env: [{ name: "EDGECALL_DB_PASSWORD", valueFrom: { secretKeyRef: { name: METRICS_NAME, key: PASSWORD_KEY } } }],
                  readinessProbe: { httpGet: { path: "/api/health", port: "http" }, periodSeconds: 10 },
                  volumeMounts: [
                    { name: "provisioning", mountPath: "/etc/grafana/provisioning/datasources", subPath: "datasources" },
                    { name: "provisioning", mountPath: "/etc/grafana/provisioning/dashboards", subPath: "dashboards" },
                    { name: "provisioning", mountPath: "/var/lib/grafana/dashboards", subPath: "json" },
                  ],
                },
              ],
              volumes: [
                {
                  name: "provisioning",
                  configMap: {
                    name: provisioning.metadata.name,
                    items: [
                      file("datasource.yaml", "datasources/edgecall.yaml"),
                      file("dashboards.yaml", "dashboards/edgecall.yaml"),
                      file("edgecall.json", "json/edgecall.json"),
                    ],
                  },
                },
              ],
            },
          },
        },
      },
      { ...childOpts, dependsOn: [this.migrated] },
    );
    new k8s.core.v1.Service(
      `${name}-grafana-service`,
      { metadata, spec: { type: "NodePort", selector: labels, ports: [{ name: "http", port: 3000, targetPort: "http", nodePort: grafana.nodePort }] } },
      { ...childOpts, dependsOn: [deployment] },
    );
    return `http://${urlHost(grafana.serverHost)}:${grafana.nodePort}`;
  }
}
