import type * as k8s from "@pulumi/kubernetes";

export const METRICS_NAME = "edgecall-metrics";
export const POSTGRES_PORT = 5432;
export const DATABASE = "edgecall";
export const DATABASE_USER = "edgecall";
/** Keys of the metrics Secret. */
export const PASSWORD_KEY = "password";
export const URL_KEY = "url";

export const metricsLabels = { "app.kubernetes.io/name": METRICS_NAME, "app.kubernetes.io/part-of": "edgecall" };

/** The PostgreSQL StatefulSet spec: one pod on the server, its data on a local-path volume there. */
export function postgresStatefulSetSpec(image: string, serverNodeName: string, storageGi: number): k8s.types.input.apps.v1.StatefulSetSpec {
  return {
    serviceName: METRICS_NAME,
    replicas: 1,
    selector: { matchLabels: metricsLabels },
    // `pulumi destroy` removes the data with the store, as it removes everything else.
    persistentVolumeClaimRetentionPolicy: { whenDeleted: "Delete", whenScaled: "Retain" },
    template: {
      metadata: { labels: metricsLabels },
      spec: {
        nodeSelector: { "kubernetes.io/hostname": serverNodeName },
        securityContext: { fsGroup: 999 },
        containers: [
          {
            name: "postgres",
            image,
            ports: [{ name: "postgres", containerPort: POSTGRES_PORT }],
            env: [
              { name: "POSTGRES_DB", value: DATABASE },
              { name: "POSTGRES_USER", value: DATABASE_USER },
              { name: "POSTGRES_PASSWORD", valueFrom: { secretKeyRef: { name: METRICS_NAME, key: PASSWORD_KEY } } },
              // The volume's root holds lost+found on some file systems; initdb needs an empty directory.
              { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
            ],
            readinessProbe: { exec: { command: ["pg_isready", "-U", DATABASE_USER, "-d", DATABASE] }, periodSeconds: 5 },
            volumeMounts: [{ name: "data", mountPath: "/var/lib/postgresql/data" }],
            resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
          },
        ],
      },
    },
    volumeClaimTemplates: [
      {
        metadata: { name: "data" },
        spec: { accessModes: ["ReadWriteOnce"], storageClassName: "local-path", resources: { requests: { storage: `${storageGi}Gi` } } },
      },
    ],
  };
}

/** In-cluster address of the store, from any namespace. */
export function metricsAddress(namespace: string): string {
  return `${METRICS_NAME}.${namespace}.svc.cluster.local:${POSTGRES_PORT}`;
}
