export { MetricsStore, MetricsStoreArgs } from "./metrics-store";
export { METRICS_NAME, metricsAddress, postgresStatefulSetSpec } from "./postgres";
export { MIGRATIONS_DIR, migrationJobSpec, migrationsHash } from "./migration";
export { GRAFANA_NAME, dashboardJson, datasourceYaml } from "./grafana";
