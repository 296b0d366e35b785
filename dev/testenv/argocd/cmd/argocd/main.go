// The part of Argo CD the local world runs (dev/local-env.sh up --argocd, ArgoCdIT): one binary that, like
// Argo CD's own image, is a different program by the name it is called with. Only the application
// controller and the repo server (Argo CD's API server, UI, Dex, notifications and ApplicationSet
// controller are not needed to sync an Application), plus "argocd-redis": the in-memory Redis that
// Argo CD's own headless mode runs (miniredis, already in Argo CD's module graph), so no Redis server
// has to be installed.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/spf13/cobra"
	"k8s.io/klog/v2"

	appcontroller "github.com/argoproj/argo-cd/v3/cmd/argocd-application-controller/commands"
	reposerver "github.com/argoproj/argo-cd/v3/cmd/argocd-repo-server/commands"
	"github.com/argoproj/argo-cd/v3/util/log"
)

func init() {
	// As Argo CD's main does: klog through Argo CD's configured logger.
	klog.SetLogger(log.NewLogrusLogger(log.NewWithCurrentConfig()))
}

func main() {
	name := filepath.Base(os.Args[0])
	if v := os.Getenv("ARGOCD_BINARY_NAME"); v != "" {
		name = v
	}
	var command *cobra.Command
	switch name {
	case "argocd-application-controller":
		command = appcontroller.NewCommand()
	case "argocd-repo-server":
		command = reposerver.NewCommand()
	case "argocd-redis":
		redis()
		return
	default:
		fmt.Fprintf(os.Stderr, "%s: called as %q; link or call it as argocd-application-controller, argocd-repo-server or argocd-redis\n", os.Args[0], name)
		os.Exit(2)
	}
	if err := command.Execute(); err != nil {
		os.Exit(1)
	}
}

// redis serves an in-memory Redis on the address given as the only argument until SIGINT/SIGTERM.
func redis() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: argocd-redis HOST:PORT")
		os.Exit(2)
	}
	server := miniredis.NewMiniRedis()
	if err := server.StartAddr(os.Args[1]); err != nil {
		fmt.Fprintf(os.Stderr, "argocd-redis: %v\n", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "argocd-redis: serving on %s\n", server.Addr())
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	// miniredis expires keys only when told that time passed (FastForward); a real Redis expires them by the
	// clock. Argo CD relies on that: its repo server caches what a branch points at for the reconciliation
	// timeout, and without expiry it never sees a new commit (ArgoCdIT found it).
	tick := time.NewTicker(200 * time.Millisecond)
	last := time.Now()
	for {
		select {
		case <-stop:
			server.Close()
			return
		case now := <-tick.C:
			server.FastForward(now.Sub(last))
			last = now
		}
	}
}
