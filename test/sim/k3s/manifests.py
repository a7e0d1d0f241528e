"""The objects the K3s stand-in's server applies at start, on stdout as one JSON `List`.

What real K3s brings on its own and edgecall relies on: nodes that join with the cluster's token
(here a bootstrap token, with the RBAC for its CSRs to be approved), CoreDNS at 10.43.0.10,
Traefik's Middleware kind (the Traefik controller itself is not part of the stand-in: Ingress
objects are stored but not served), the RuntimeClasses of K3s's runtimes.yaml (`nvidia` among
them, which a stack must not try to create again), and the `local-path` storage class, whose provisioner is
stood in for by volumes made in advance on the server (enough for edgecall's claims).

Environment: TOKEN_ID, TOKEN_SECRET, CA_DATA (base64 of the CA certificate), SERVER_NODE.
"""
import json
import os

VOLUMES = 8
COREDNS_IMAGE = "registry.sim:5000/edgecall/coredns:sim"
COREFILE = """.:1053 {
    errors
    health :8080
    ready :8181
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }
    forward . /etc/resolv.conf
    cache 30
}
"""


def binding(name, role, group):
    return {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRoleBinding",
        "metadata": {"name": name},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
        "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": group}],
    }


def join_objects(env):
    kubeconfig = "\n".join([
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- cluster:",
        "    certificate-authority-data: " + env["CA_DATA"],
        "    server: https://127.0.0.1:6443",
        "  name: default",
    ]) + "\n"
    return [
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "bootstrap-token-" + env["TOKEN_ID"], "namespace": "kube-system"},
            "type": "bootstrap.kubernetes.io/token",
            "stringData": {
                "token-id": env["TOKEN_ID"],
                "token-secret": env["TOKEN_SECRET"],
                "usage-bootstrap-authentication": "true",
                "usage-bootstrap-signing": "true",
                "auth-extra-groups": "system:bootstrappers:edgecall-sim",
            },
        },
        binding("edgecall-sim:kubelet-bootstrap", "system:node-bootstrapper", "system:bootstrappers"),
        binding("edgecall-sim:node-autoapprove-bootstrap",
                "system:certificates.k8s.io:certificatesigningrequests:nodeclient", "system:bootstrappers"),
        binding("edgecall-sim:node-autoapprove-rotation",
                "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient", "system:nodes"),
        # kube-proxy on every node authenticates with the same token.
        binding("edgecall-sim:node-proxier", "system:node-proxier", "system:bootstrappers"),
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cluster-info", "namespace": "kube-public"},
         "data": {"kubeconfig": kubeconfig}},
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "Role",
            "metadata": {"name": "edgecall-sim:cluster-info-reader", "namespace": "kube-public"},
            "rules": [{"apiGroups": [""], "resources": ["configmaps"], "resourceNames": ["cluster-info"], "verbs": ["get"]}],
        },
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "RoleBinding",
            "metadata": {"name": "edgecall-sim:cluster-info-reader", "namespace": "kube-public"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "edgecall-sim:cluster-info-reader"},
            "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "system:anonymous"}],
        },
    ]


def coredns_objects():
    labels = {"k8s-app": "kube-dns"}
    return [
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "coredns", "namespace": "kube-system"}},
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRole",
            "metadata": {"name": "system:coredns"},
            "rules": [
                {"apiGroups": [""], "resources": ["endpoints", "services", "pods", "namespaces"], "verbs": ["list", "watch"]},
                {"apiGroups": ["discovery.k8s.io"], "resources": ["endpointslices"], "verbs": ["list", "watch"]},
            ],
        },
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRoleBinding",
            "metadata": {"name": "system:coredns"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "system:coredns"},
            "subjects": [{"kind": "ServiceAccount", "name": "coredns", "namespace": "kube-system"}],
        },
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "coredns", "namespace": "kube-system"},
         "data": {"Corefile": COREFILE}},
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "coredns", "namespace": "kube-system", "labels": labels},
            "spec": {
                "replicas": 1,
                "selector": {"matchLabels": labels},
                "template": {
                    "metadata": {"labels": labels},
                    "spec": {
                        "serviceAccountName": "coredns",
                        "dnsPolicy": "Default",
                        "containers": [{
                            "name": "coredns",
                            "image": COREDNS_IMAGE,
                            "imagePullPolicy": "IfNotPresent",
                            "args": ["-conf", "/etc/coredns/Corefile"],
                            # An unprivileged port: the container runs without capabilities.
                            "ports": [{"containerPort": 1053, "protocol": "UDP", "name": "dns"},
                                      {"containerPort": 1053, "protocol": "TCP", "name": "dns-tcp"}],
                            "readinessProbe": {"httpGet": {"path": "/ready", "port": 8181}, "periodSeconds": 2},
                            "volumeMounts": [{"name": "config", "mountPath": "/etc/coredns"}],
                        }],
                        "volumes": [{"name": "config", "configMap": {"name": "coredns"}}],
                    },
                },
            },
        },
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "kube-dns", "namespace": "kube-system", "labels": labels},
            "spec": {
                "clusterIP": "10.43.0.10",
                "selector": labels,
                "ports": [{"name": "dns", "port": 53, "targetPort": 1053, "protocol": "UDP"},
                          {"name": "dns-tcp", "port": 53, "targetPort": 1053, "protocol": "TCP"}],
            },
        },
    ]


def traefik_kinds():
    return [{
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "middlewares.traefik.io"},
        "spec": {
            "group": "traefik.io",
            "names": {"kind": "Middleware", "listKind": "MiddlewareList", "plural": "middlewares", "singular": "middleware"},
            "scope": "Namespaced",
            "versions": [{
                "name": "v1alpha1",
                "served": True,
                "storage": True,
                "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}},
            }],
        },
    }]


def runtime_classes():
    return [{"apiVersion": "node.k8s.io/v1", "kind": "RuntimeClass", "metadata": {"name": name}, "handler": name}
            for name in ("nvidia", "nvidia-experimental", "crun")]


def storage_objects(server_node):
    objects = [{
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {"name": "local-path", "annotations": {"storageclass.kubernetes.io/is-default-class": "true"}},
        "provisioner": "rancher.io/local-path",
        "volumeBindingMode": "WaitForFirstConsumer",
        "reclaimPolicy": "Delete",
    }]
    for i in range(VOLUMES):
        objects.append({
            "apiVersion": "v1",
            "kind": "PersistentVolume",
            "metadata": {"name": "edgecall-sim-local-{}".format(i)},
            "spec": {
                "capacity": {"storage": "100Gi"},
                "accessModes": ["ReadWriteOnce"],
                "persistentVolumeReclaimPolicy": "Retain",
                "storageClassName": "local-path",
                "hostPath": {"path": "/var/lib/rancher/k3s/storage/pv-{}".format(i), "type": "DirectoryOrCreate"},
                "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions": [
                    {"key": "kubernetes.io/hostname", "operator": "In", "values": [server_node]}]}]}},
            },
        })
    return objects


def main():
    env = os.environ
    objects = join_objects(env) + coredns_objects() + traefik_kinds() + runtime_classes() + storage_objects(env["SERVER_NODE"])
    print(json.dumps({"apiVersion": "v1", "kind": "List", "items": objects}, indent=1))


if __name__ == "__main__":
    main()
