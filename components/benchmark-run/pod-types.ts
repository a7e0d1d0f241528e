/**
 * The plain subset of the Kubernetes Job and Pod shapes the benchmark builds. The Job spec is a pure
 * value, so tests read it directly; these types are structurally assignable to the provider's input
 * types (`k8s.types.input.batch.v1.JobSpec`).
 */

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    fieldRef?: { fieldPath: string };
    secretKeyRef?: { name: string; key: string };
  };
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  volumeMounts?: VolumeMount[];
  /** `Always` on an init container makes it a native sidecar (Kubernetes 1.29+). */
  restartPolicy?: "Always";
  /** On a native sidecar, the init containers after it wait until this succeeds. */
  startupProbe?: { exec: { command: string[] }; periodSeconds: number; failureThreshold: number };
  securityContext?: {
    privileged?: boolean;
    runAsUser?: number;
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    capabilities?: { drop?: string[]; add?: string[] };
  };
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
}

export interface Volume {
  name: string;
  hostPath?: { path: string; type: "Directory" | "DirectoryOrCreate" | "File" };
  emptyDir?: Record<string, never>;
  configMap?: { name: string; defaultMode?: number };
}

export interface LabelSelectorRequirement {
  key: string;
  operator: "In" | "NotIn" | "Exists";
  values?: string[];
}

export interface PodSpec {
  serviceAccountName: string;
  restartPolicy: "Never";
  runtimeClassName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: {
    nodeAffinity?: {
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: { matchExpressions: LabelSelectorRequirement[] }[] };
    };
    podAntiAffinity?: {
      requiredDuringSchedulingIgnoredDuringExecution: { topologyKey: string; labelSelector: { matchLabels: Record<string, string> } }[];
    };
  };
  topologySpreadConstraints?: {
    maxSkew: number;
    topologyKey: string;
    whenUnsatisfiable: "DoNotSchedule" | "ScheduleAnyway";
    labelSelector: { matchLabels: Record<string, string> };
  }[];
  initContainers: Container[];
  containers: Container[];
  volumes: Volume[];
}

/** Which pod failures count toward `backoffLimit` and which fail the Job at once. */
export interface PodFailurePolicy {
  rules: { action: "FailJob" | "Ignore" | "Count"; onExitCodes: { operator: "In" | "NotIn"; values: number[] } }[];
}

export interface JobSpec {
  backoffLimit: number;
  podFailurePolicy?: PodFailurePolicy;
  activeDeadlineSeconds: number;
  completionMode?: "Indexed" | "NonIndexed";
  completions?: number;
  parallelism?: number;
  template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
}
