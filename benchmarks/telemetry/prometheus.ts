import { TelemetrySample, sampleTimeMs } from "./sample";

/** What the exporter knows: the latest sample (none before the first) and how many it has taken. */
export interface ExporterState {
  latest?: TelemetrySample;
  samplesTotal: number;
}

/** The Content-Type of the Prometheus text exposition format. */
export const CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

// tegrastats prints -256C for a sensor whose unit is powered off (CV0..CV2 on AGX Orin): no reading.
const SENSOR_OFF_CELSIUS = -256;

type Labels = Record<string, string>;

interface Family {
  name: string;
  type: "gauge" | "counter";
  help: string;
  values: { labels?: Labels; value: number | null | undefined }[];
}

/** A label value as the exposition format writes it: backslash, double quote and newline escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function labelText(labels: Labels | undefined): string {
  const pairs = Object.entries(labels ?? {}).map(([name, value]) => `${name}="${escapeLabelValue(value)}"`);
  return pairs.length === 0 ? "" : `{${pairs.join(",")}}`;
}

function familyText(family: Family): string {
  // A value that is absent, or not a number (a sysfs file that read as garbage), is left out; a
  // family with no value left is left out whole.
  const lines = family.values
    .filter((v): v is { labels?: Labels; value: number } => typeof v.value === "number" && Number.isFinite(v.value))
    .map((v) => `${family.name}${labelText(v.labels)} ${v.value}`);
  if (lines.length === 0) return "";
  return `# HELP ${family.name} ${family.help}\n# TYPE ${family.name} ${family.type}\n${lines.join("\n")}\n`;
}

function sampleFamilies(sample: TelemetrySample): Family[] {
  const rails = Object.entries(sample.rails);
  const cores = sample.cpu.map((core, index) => ({ ...core, labels: { core: String(index) } }));
  return [
    { name: "edgecall_power_milliwatts", type: "gauge", help: "Power on a rail (INA3221 monitor), instant value.", values: rails.map(([rail, r]) => ({ labels: { rail }, value: r.mw })) },
    {
      name: "edgecall_power_average_milliwatts",
      type: "gauge",
      help: "Power of a rail averaged by tegrastats since it started.",
      values: rails.map(([rail, r]) => ({ labels: { rail }, value: r.avg_mw })),
    },
    { name: "edgecall_gpu_load_percent", type: "gauge", help: "GPU (GR3D) load.", values: [{ value: sample.gpu_load_pct }] },
    { name: "edgecall_gpu_frequency_megahertz", type: "gauge", help: "GPU (GR3D) clock; the first GPC's where tegrastats lists one per GPC.", values: [{ value: sample.gpu_freq_mhz }] },
    { name: "edgecall_emc_load_percent", type: "gauge", help: "External memory controller load.", values: [{ value: sample.emc_load_pct }] },
    { name: "edgecall_emc_frequency_megahertz", type: "gauge", help: "External memory controller clock.", values: [{ value: sample.emc_freq_mhz }] },
    { name: "edgecall_cpu_load_percent", type: "gauge", help: "Load of an online CPU core (cores that are off are left out).", values: cores.map((c) => ({ labels: c.labels, value: c.load_pct })) },
    { name: "edgecall_cpu_frequency_megahertz", type: "gauge", help: "Clock of an online CPU core.", values: cores.map((c) => ({ labels: c.labels, value: c.freq_mhz })) },
    { name: "edgecall_ram_used_megabytes", type: "gauge", help: "RAM in use (shared by CPU and GPU).", values: [{ value: sample.ram_used_mb }] },
    { name: "edgecall_ram_total_megabytes", type: "gauge", help: "RAM in all.", values: [{ value: sample.ram_total_mb }] },
    { name: "edgecall_swap_used_megabytes", type: "gauge", help: "Swap in use.", values: [{ value: sample.swap_used_mb }] },
    {
      name: "edgecall_temperature_celsius",
      type: "gauge",
      help: "Temperature of a thermal zone, by tegrastats' sensor name (sensors that are off are left out).",
      values: Object.entries(sample.temperatures)
        .filter(([, celsius]) => celsius !== SENSOR_OFF_CELSIUS)
        .map(([sensor, celsius]) => ({ labels: { sensor }, value: celsius })),
    },
  ];
}

/** The exporter's state in the Prometheus text exposition format. */
export function renderMetrics(state: ExporterState): string {
  const families: Family[] = state.latest === undefined ? [] : sampleFamilies(state.latest);
  families.push({ name: "edgecall_telemetry_samples_total", type: "counter", help: "Samples taken since the exporter started.", values: [{ value: state.samplesTotal }] });
  if (state.latest !== undefined) {
    families.push({
      name: "edgecall_telemetry_last_sample_timestamp_seconds",
      type: "gauge",
      help: "When the latest sample was taken, in seconds since the Unix epoch.",
      values: [{ value: sampleTimeMs(state.latest) / 1000 }],
    });
  }
  return families.map(familyText).join("");
}
