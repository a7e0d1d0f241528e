export { HOST_TEGRASTATS, TELEMETRY_NAME, Telemetry, TelemetryArgs, telemetryDaemonSetSpec } from "./telemetry";
