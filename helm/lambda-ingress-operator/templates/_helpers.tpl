{{/* The release's full name, at most 63 characters (a DNS label). */}}
{{- define "lambda-ingress-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "lambda-ingress-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "lambda-ingress-operator.labels" -}}
{{ include "lambda-ingress-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: operator
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "lambda-ingress-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "lambda-ingress-operator.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name: the existing ServiceAccount to run as, when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "lambda-ingress-operator.image" -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* What the operator may do to LambdaIngress objects and their Events: the rules of its (Cluster)Role. */}}
{{- define "lambda-ingress-operator.rules" -}}
- apiGroups: [lambdaingress.io]
  resources: [lambdaingresses]
  verbs: [get, list, watch, patch, update]
- apiGroups: [lambdaingress.io]
  resources: [lambdaingresses/status]
  verbs: [get, patch, update]
- apiGroups: [lambdaingress.io]
  resources: [lambdaingresses/finalizers]
  verbs: [update]
- apiGroups: [""]
  resources: [events]
  # get: after a restart, a repeated Event's count is read back once before it is bumped (patch).
  verbs: [create, get, patch]
{{- end -}}
