/** One rule of a namespaced Role. */
export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/**
 * What the benchmark pods may do: write their result ConfigMaps, nothing else. The Role is
 * namespaced, so the pods cannot touch any other namespace; no `list`/`watch`/`delete`, so one
 * run cannot read or remove another's results wholesale.
 */
export const BENCH_ROLE_RULES: readonly PolicyRule[] = [
  { apiGroups: [""], resources: ["configmaps"], verbs: ["create", "get", "update", "patch"] },
];
