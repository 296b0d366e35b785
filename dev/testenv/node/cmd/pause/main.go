// Command pause is the pod sandbox's process: it holds the pod's namespaces and does nothing else.
// The node has no registry to pull registry.k8s.io/pause from, so dev/node.sh builds this static
// binary into a FROM scratch image. As PID 1 it must reap orphans and exit on SIGINT/SIGTERM.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for s := range signals {
		if s != syscall.SIGCHLD {
			os.Exit(0)
		}
		// Reap every exited child (processes re-parented to the sandbox's PID 1).
		for {
			pid, err := syscall.Wait4(-1, nil, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
	}
}
