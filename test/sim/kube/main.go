// Command kube is upstream Kubernetes' server components and kubectl in one
// binary, chosen by the first argument or by the name it is invoked under
// (a symlink), as K3s does. One binary keeps the simulated cluster to a
// single build and a single file to copy into each board.
//
// It is built by build.sh next to it, which supplies the module wiring and
// the version stamps; it does not build on its own inside this repository.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	_ "time/tzdata" // CronJob time zones must not depend on the host's zoneinfo

	"github.com/spf13/cobra"
	_ "k8s.io/client-go/plugin/pkg/client/auth" // kubectl's auth plugins, as upstream's kubectl links them
	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"          // --logging-format=json, as upstream's mains link it
	_ "k8s.io/component-base/metrics/prometheus/clientgo" // client-go metrics, as upstream's mains link them
	_ "k8s.io/component-base/metrics/prometheus/version"  // version metric, as upstream's mains link it
	kubectlcmd "k8s.io/kubectl/pkg/cmd"
	kubectlutil "k8s.io/kubectl/pkg/cmd/util"
	apiserver "k8s.io/kubernetes/cmd/kube-apiserver/app"
	controllermanager "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	proxy "k8s.io/kubernetes/cmd/kube-proxy/app"
	scheduler "k8s.io/kubernetes/cmd/kube-scheduler/app"
	kubelet "k8s.io/kubernetes/cmd/kubelet/app"
)

// Constructors, not commands: each one registers flags, so only the chosen
// component's should run.
var components = map[string]func() *cobra.Command{
	"kube-apiserver":          apiserver.NewAPIServerCommand,
	"kube-controller-manager": controllermanager.NewControllerManagerCommand,
	"kube-scheduler":          func() *cobra.Command { return scheduler.NewSchedulerCommand() },
	"kubelet":                 kubelet.NewKubeletCommand,
	"kube-proxy":              proxy.NewProxyCommand,
	"kubectl":                 kubectlcmd.NewDefaultKubectlCommand,
}

func main() {
	name := filepath.Base(os.Args[0])
	if _, ok := components[name]; !ok {
		name = ""
		if len(os.Args) > 1 {
			// Drop our own name so the component sees the argv it would see
			// standalone: cobra and kubectl's plugin lookup both read os.Args.
			name = os.Args[1]
			os.Args = os.Args[1:]
		}
	}
	newCommand, ok := components[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "usage: kube COMPONENT [flags...], COMPONENT one of %s (got %q)\n", allowed(), name)
		os.Exit(2)
	}

	if name == "kubectl" {
		// kubectl prints its own errors in its own format, as upstream's main does.
		if err := cli.RunNoErrOutput(newCommand()); err != nil {
			kubectlutil.CheckErr(err)
		}
		return
	}
	os.Exit(cli.Run(newCommand()))
}

func allowed() string {
	names := make([]string, 0, len(components))
	for n := range components {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
