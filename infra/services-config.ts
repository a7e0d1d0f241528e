import { z } from "zod";

/** The `metricsStore` part of the stack config: the central PostgreSQL and an optional Grafana. */
export const metricsStoreConfigSchema = z.strictObject({
  /** Defaults to on when `images.tools` is set (its migration Job runs the tools image). */
  enabled: z.boolean().optional(),
  /** PostgreSQL image (official, multi-arch). */
  image: z.string().min(1).default("postgres:16.4-bookworm"),
  /** Size of the database volume on the server. */
  storageGi: z.number().int().min(1).max(1024).default(10),
  grafana: z
    .strictObject({
      enabled: z.boolean().default(false),
      image: z.string().min(1).default("grafana/grafana-oss:11.3.0"),
      /** NodePort on the server for Grafana's web UI. */
      nodePort: z.number().int().min(5000).max(32767).default(30300),
    })
    .default({ enabled: false, image: "grafana/grafana-oss:11.3.0", nodePort: 30300 }),
});

/** The `telemetry` part: the per-board exporter of tegrastats and power rails. */
export const telemetryConfigSchema = z.strictObject({
  /** Defaults to on when `images.tools` is set (the exporter is the tools image's `edgecall`). */
  enabled: z.boolean().optional(),
  /** Port the exporter listens on (host network, so one per board). */
  port: z.number().int().min(1024).max(65535).default(9102),
  /** Sampling interval. */
  intervalMs: z.number().int().min(100).max(60000).default(1000),
  /** Run privileged, for boards whose tegrastats needs debugfs. */
  privileged: z.boolean().default(false),
  /**
   * `auto` runs the board's tegrastats (mounted into the tools image) and reads the INA3221 rails in
   * sysfs where it is absent; `sysfs` skips tegrastats (power rails only), for a board whose
   * tegrastats will not run outside its own root file system.
   */
  source: z.enum(["auto", "tegrastats", "sysfs"]).default("auto"),
});

export type MetricsStoreConfig = z.infer<typeof metricsStoreConfigSchema>;
export type TelemetryConfig = z.infer<typeof telemetryConfigSchema>;

export const METRICS_STORE_DEFAULTS: MetricsStoreConfig = metricsStoreConfigSchema.parse({});
export const TELEMETRY_DEFAULTS: TelemetryConfig = telemetryConfigSchema.parse({});

/** Whether the store or the exporter runs: as configured, else whenever the tools image exists. */
export function serviceEnabled(section: { enabled?: boolean }, toolsImageSet: boolean): boolean {
  return section.enabled ?? toolsImageSet;
}
