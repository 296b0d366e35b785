#!/usr/bin/env bash
# Regenerates the CRD from the API classes (operator/src/main/java/.../api) and refreshes the checked-in
# copies: crds/ and the Helm chart's crds/. CrdIsUpToDateTest and ChartTest fail until this has been run
# after an API change.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
mvn -B -ntp -q -pl operator -am process-classes
cp operator/target/classes/META-INF/fabric8/*.yml crds/
cp operator/target/classes/META-INF/fabric8/*.yml helm/lambda-ingress-operator/crds/
git status --short crds/ helm/lambda-ingress-operator/crds/
