{{/*
The Kubernetes name of a Jina name, as Jina's to_compatible_name makes it:
"test_searcher" -> "test-searcher", "test_searcher/head" -> "test-searcher-head".
*/}}
{{- define "flow.dnsName" -}}
{{- . | replace "/" "-" | replace "_" "-" | lower -}}
{{- end -}}

{{/*
The image of a `uses` value: "docker://IMAGE" -> IMAGE; no `uses` -> the Jina image.
Arguments: (list $uses $root).
*/}}
{{- define "flow.image" -}}
{{- $uses := index . 0 | default "" | toString -}}
{{- $root := index . 1 -}}
{{- if not $uses -}}
{{- $root.Values.image -}}
{{- else if hasPrefix "docker://" $uses -}}
{{- trimPrefix "docker://" $uses -}}
{{- else -}}
{{- fail (printf "uses %q is not a container image: flowrel deploys containers, so write uses: docker://IMAGE" $uses) -}}
{{- end -}}
{{- end -}}

{{/*
A value as Python's json.dumps writes it (", " and ": " separators), which is how Jina
passes dicts on the command line. Maps keep their keys in the order they were written.
*/}}
{{- define "flow.pyjson" -}}
{{- $kind := kindOf . -}}
{{- if eq $kind "map" -}}
{{- $map := . -}}
{{- $items := list -}}
{{- range $key := keys $map -}}
{{- $items = append $items (printf "%s: %s" (toJson $key) (include "flow.pyjson" (index $map $key))) -}}
{{- end -}}
{{- printf "{%s}" (join ", " $items) -}}
{{- else if eq $kind "slice" -}}
{{- $items := list -}}
{{- range . -}}
{{- $items = append $items (include "flow.pyjson" .) -}}
{{- end -}}
{{- printf "[%s]" (join ", " $items) -}}
{{- else if eq $kind "invalid" -}}
null
{{- else -}}
{{- toJson . -}}
{{- end -}}
{{- end -}}

{{/*
startupProbe failureThreshold from timeout_ready (ms), as Jina computes it:
max(ceil(timeout_ready / 1000 / 5), 3); -1 means the default 600000.
*/}}
{{- define "flow.failureThreshold" -}}
{{- $ms := int (. | default 600000) -}}
{{- if lt $ms 0 }}{{ $ms = 600000 }}{{ end -}}
{{- max 3 (div (add $ms 4999) 5000) -}}
{{- end -}}

{{/*
One Jina unit (gateway, head, or shard): its ConfigMap, Service and Deployment.
Argument: a dict with root, name (Kubernetes name), jinaName, podType, shardId, replicas,
role (executor or gateway), protocol, args, image, env (ConfigMap data), secretEnv
(env_from_secret), timeoutReady, sidecars, imagePullSecrets, gpus.
*/}}
{{- define "flow.unit" -}}
{{- $root := .root -}}
{{- $ns := $root.Release.Namespace -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .name }}-configmap
data:
  pythonunbuffered: "1"
  worker_class: uvicorn.workers.UvicornH11Worker
  {{- range $key, $value := .env }}
  {{ $key }}: {{ toString $value | toJson }}
  {{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ .name }}
  labels:
    app: {{ .name }}
spec:
  type: ClusterIP
  selector:
    app: {{ .name }}
  ports:
    - name: port
      port: 8080
      targetPort: 8080
      protocol: TCP
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .name }}
spec:
  replicas: {{ .replicas }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  selector:
    matchLabels:
      app: {{ .name }}
  template:
    metadata:
      labels:
        app: {{ .name }}
        jina_deployment_name: {{ .jinaName }}
        shard_id: {{ .shardId | quote }}
        pod_type: {{ .podType }}
        ns: {{ $ns }}
      {{- if eq $root.Values.serviceMesh "linkerd" }}
      annotations:
        linkerd.io/inject: enabled
      {{- else if eq $root.Values.serviceMesh "istio" }}
      annotations:
        sidecar.istio.io/inject: "true"
      {{- else if ne $root.Values.serviceMesh "none" }}
      {{- fail (printf "serviceMesh must be linkerd, istio or none, not %q" $root.Values.serviceMesh) }}
      {{- end }}
    spec:
      {{- with .imagePullSecrets }}
      imagePullSecrets:
        {{- range . }}
        - name: {{ . }}
        {{- end }}
      {{- end }}
      containers:
        {{- include "flow.container" (dict "unit" . "containerName" .role "image" .image "args" .args "port" 8080 "main" true) | nindent 8 }}
        {{- range .sidecars }}
        {{- include "flow.container" (dict "unit" $ "containerName" .name "image" .image "args" .args "port" .port "main" false) | nindent 8 }}
        {{- end }}
{{- end -}}

{{/*
A container of a unit's pod: the unit's main container, or a uses_before/uses_after sidecar.
*/}}
{{- define "flow.container" -}}
{{- $unit := .unit -}}
{{- $ns := $unit.root.Release.Namespace -}}
{{- $address := printf "%s://127.0.0.1:%d" $unit.protocol (int .port) -}}
- name: {{ .containerName }}
  image: {{ .image }}
  imagePullPolicy: IfNotPresent
  command: ["jina"]
  args:
    {{- range .args }}
    - {{ toJson . }}
    {{- end }}
  ports:
    - containerPort: {{ .port }}
  envFrom:
    - configMapRef:
        name: {{ $unit.name }}-configmap
  env:
    - name: POD_UID
      valueFrom:
        fieldRef:
          fieldPath: metadata.uid
    - name: JINA_DEPLOYMENT_NAME
      value: {{ $unit.jinaName }}
    - name: K8S_DEPLOYMENT_NAME
      value: {{ $unit.name }}
    - name: K8S_NAMESPACE_NAME
      value: {{ $ns }}
    - name: K8S_POD_NAME
      valueFrom:
        fieldRef:
          fieldPath: metadata.name
    {{- if .main }}
    {{- range $key, $ref := $unit.secretEnv }}
    - name: {{ $key }}
      valueFrom:
        secretKeyRef:
          name: {{ required (printf "env_from_secret.%s needs a name" $key) $ref.name }}
          key: {{ required (printf "env_from_secret.%s needs a key" $key) $ref.key }}
    {{- end }}
    {{- end }}
  startupProbe:
    exec:
      command: ["jina", "ping", {{ $unit.role | quote }}, {{ $address | quote }}]
    initialDelaySeconds: 5
    periodSeconds: 5
    failureThreshold: {{ include "flow.failureThreshold" $unit.timeoutReady }}
    timeoutSeconds: 10
  livenessProbe:
    exec:
      command: ["jina", "ping", {{ $unit.role | quote }}, {{ $address | quote }}, "--timeout 9500"]
    initialDelaySeconds: 30
    periodSeconds: 5
    timeoutSeconds: 10
  lifecycle:
    preStop:
      exec:
        command: ["/bin/sh", "-c", "sleep 2"]
  {{- if and .main $unit.gpus (ne (toString $unit.gpus) "all") }}
  resources:
    limits:
      nvidia.com/gpu: {{ toString $unit.gpus | quote }}
  {{- end }}
{{- end -}}

{{/*
The Jina name of an Executor: its `name`, or `executor<index>` as Jina names unnamed ones.
Arguments: (list $index $executor).
*/}}
{{- define "flow.executorName" -}}
{{- $executor := index . 1 -}}
{{- $executor.name | default (printf "executor%d" (index . 0)) | toString -}}
{{- end -}}

{{/*
"true" when an Executor gets a head unit: more than one shard, or uses_before/uses_after.
*/}}
{{- define "flow.hasHead" -}}
{{- if or (gt (int (.shards | default 1)) 1) (not (empty .uses_before)) (not (empty .uses_after)) }}true{{ end -}}
{{- end -}}
