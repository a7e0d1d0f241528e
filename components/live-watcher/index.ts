export { LiveWatcher, LiveWatcherArgs, LiveWatcherSummary } from "./live-watcher";
export { WATCH_METRICS_PORT, WatcherPodSettings, watcherDeploymentSpec, watcherLabels, watcherName } from "./spec";
