export { GpuRuntime, GpuRuntimeArgs, RUNTIME_CLASS } from "./gpu-runtime";
export { devicePluginDaemonSet, supportsTegra, timeSlicingConfig } from "./device-plugin";
