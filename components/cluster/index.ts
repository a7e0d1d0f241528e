export { Cluster, ClusterArgs, ClusterBoard, ExistingKubernetes, InstalledKubernetes } from "./cluster";
