import { stringify } from "yaml";
import { DATABASE, DATABASE_USER, METRICS_NAME, POSTGRES_PORT } from "./postgres";

export const GRAFANA_NAME = "edgecall-grafana";
export const DASHBOARD_UID = "edgecall-benchmarks";

/** Grafana's provisioned data source: the metrics store, its password read from the pod's environment. */
export function datasourceYaml(namespace: string): string {
  return stringify({
    apiVersion: 1,
    datasources: [
      {
        name: "edgecall",
        uid: "edgecall-metrics",
        type: "grafana-postgresql-datasource",
        url: `${METRICS_NAME}.${namespace}.svc.cluster.local:${POSTGRES_PORT}`,
        user: DATABASE_USER,
        jsonData: { database: DATABASE, sslmode: "disable", postgresVersion: 1600 },
        // Grafana expands $VAR in provisioning files, so the password stays in the Secret.
        secureJsonData: { password: "$EDGECALL_DB_PASSWORD" },
        isDefault: true,
      },
    ],
  });
}

export function dashboardProviderYaml(): string {
  return stringify({
    apiVersion: 1,
    providers: [{ name: "edgecall", type: "file", disableDeletion: true, options: { path: "/var/lib/grafana/dashboards" } }],
  });
}

interface Panel {
  title: string;
  unit: string;
  /** A SQL query over `runs`, one series per model. */
  sql: string;
}

const PANELS: Panel[] = [
  { title: "Throughput (bases/s)", unit: "short", sql: "SELECT window_end AS time, model AS metric, bases_per_s AS value FROM runs ORDER BY 1" },
  { title: "Median read identity", unit: "percentunit", sql: "SELECT window_end AS time, model AS metric, median_identity AS value FROM runs WHERE median_identity IS NOT NULL ORDER BY 1" },
  { title: "Energy (J per megabase)", unit: "short", sql: "SELECT window_end AS time, model AS metric, joules_per_megabase AS value FROM runs WHERE joules_per_megabase IS NOT NULL ORDER BY 1" },
];

/** The dashboard of benchmark runs: throughput, accuracy and energy per model over time. */
export function dashboardJson(): string {
  return JSON.stringify({
    uid: DASHBOARD_UID,
    title: "edgecall benchmarks",
    schemaVersion: 39,
    time: { from: "now-30d", to: "now" },
    panels: PANELS.map((panel, i) => ({
      id: i + 1,
      type: "timeseries",
      title: panel.title,
      gridPos: { x: 0, y: i * 8, w: 24, h: 8 },
      datasource: { type: "grafana-postgresql-datasource", uid: "edgecall-metrics" },
      fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
      targets: [{ refId: "A", format: "time_series", rawQuery: true, rawSql: panel.sql }],
    })),
  });
}
