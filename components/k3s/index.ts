export { K3sCluster, K3sClusterArgs, K3sClusterNode, K3sAirgapFiles } from "./k3s-cluster";
export { installStep, kubeconfigStep, rewriteKubeconfigServer, AIRGAP_FILES, AIRGAP_REMOTE_DIR } from "./install-step";
export { nodeLabels, modelSelector, LABEL_PREFIX } from "./node-labels";
export { ExistingCluster, ExistingClusterArgs, ExistingNode } from "./existing-cluster";
export { reportingNodes, silentNodeProblem, silentNodeReason } from "./node-reporting";
