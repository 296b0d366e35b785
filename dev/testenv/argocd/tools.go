//go:build tools

// Helm is built beside Argo CD (build.sh reads the main packages to build from ./mains): Argo CD's repo
// server renders a Helm chart by running the `helm` binary, and none is installed on our machines.
package tools

import _ "helm.sh/helm/v3/cmd/helm"
