// Command kube-apiserver is the upstream API server, built from its Go module at the version pinned in go.mod.
package main

import (
	"os"

	_ "time/tzdata" // the apiserver loads time zones for CronJob validation; don't depend on the host having them

	"k8s.io/component-base/cli"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	os.Exit(cli.Run(app.NewAPIServerCommand()))
}
