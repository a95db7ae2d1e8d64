{{/*
The Kubernetes name of a Jina name, as Jina's to_compatible_name makes it:
"test_searcher" -> "test-searcher", "test_searcher/head" -> "test-searcher-head".
*/}}
{{- define "flow.dnsName" -}}
{{- . | replace "/" "-" | replace "_" "-" | lower -}}
{{- end -}}

{{/*
The image of a `uses` value: "docker://IMAGE" -> IMAGE; no `uses` -> the Jina image (Jina's
BaseExecutor). Arguments: (list $uses $root $path), $path the values path of the `uses` value
(error messages start with it, so flowrel shows them at the user's line).
*/}}
{{- define "flow.image" -}}
{{- $uses := index . 0 | default "" | toString -}}
{{- $root := index . 1 -}}
{{- if not $uses -}}
{{- $root.Values.image -}}
{{- else if hasPrefix "docker://" $uses -}}
{{- trimPrefix "docker://" $uses -}}
{{- else if contains "+docker://" $uses -}}
{{- required (printf "%s: %q names a Jina Hub image, which flowrel does not look up (no network while rendering): write docker://IMAGE with the image's name" (index . 2) $uses) nil -}}
{{- else -}}
{{- required (printf "%s: %q is not a container image: on Kubernetes every Executor runs in a container, so write docker://IMAGE" (index . 2) $uses) nil -}}
{{- end -}}
{{- end -}}

{{/*
A value as Python's json.dumps writes it (", " and ": " separators), which is how Jina
passes dicts on the command line. Map keys come out sorted: the template functions give no
way to read them in the order they were written (see the chart README).
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
{{- else if eq $kind "float64" -}}
{{- include "flow.pystr" . -}}
{{- else -}}
{{- toJson . -}}
{{- end -}}
{{- end -}}

{{/*
A scalar as Python's str() writes it, which is how Jina passes values on (ConfigMap data,
command-line arguments): True/False, None, and a whole float with ".0" (1e3 -> "1000.0").
*/}}
{{- define "flow.pystr" -}}
{{- if kindIs "bool" . -}}
{{- ternary "True" "False" . -}}
{{- else if kindIs "invalid" . -}}
None
{{- else if and (kindIs "float64" .) (eq (floor .) .) (lt . 1e16) (gt . -1e16) -}}
{{- printf "%.1f" . -}}
{{- else -}}
{{- toString . -}}
{{- end -}}
{{- end -}}

{{/*
A map of strings (labels, annotations, data), keys and values quoted: values are read as
Jina reads a Flow YAML, where a quoted "true" or "5432" becomes a boolean or a number, and
Kubernetes wants the text.
*/}}
{{- define "flow.stringMap" -}}
{{- range $key, $value := . }}
{{ $key | quote }}: {{ toString $value | quote }}
{{- end }}
{{- end -}}

{{/*
Resource requests and limits: each quantity quoted (a quoted "1" read as Jina reads values
is the number 1; a quantity is text to Kubernetes), other fields (claims) as they are.
*/}}
{{- define "flow.resources" -}}
{{- range $field, $value := . }}
{{ $field }}:
{{- if kindIs "map" $value }}
  {{- include "flow.stringMap" $value | nindent 2 }}
{{- else }}
  {{- toYaml $value | nindent 2 }}
{{- end }}
{{- end }}
{{- end -}}

{{/*
A JSON object with its keys in a given order, values already JSON text.
Arguments: (list $keys $jsonByKey).
*/}}
{{- define "flow.orderedJson" -}}
{{- $values := index . 1 -}}
{{- $items := list -}}
{{- range $key := index . 0 -}}
{{- $items = append $items (printf "%s: %s" (toJson $key) (index $values $key)) -}}
{{- end -}}
{{- printf "{%s}" (join ", " $items) -}}
{{- end -}}

{{/*
startupProbe failureThreshold from timeout_ready (ms), as Jina computes it:
max(ceil(timeout_ready / 1000 / 5), 3); unset or -1 means the default 600000 (0 is 0).
*/}}
{{- define "flow.failureThreshold" -}}
{{- $ms := ternary 600000 . (kindIs "invalid" .) | int -}}
{{- if lt $ms 0 }}{{ $ms = 600000 }}{{ end -}}
{{- max 3 (div (add $ms 4999) 5000) -}}
{{- end -}}

{{/*
Levenshtein distance of two strings. Arguments: (list $a $b).
*/}}
{{- define "flow.distance" -}}
{{- $b := splitList "" (index . 1) -}}
{{- $previous := until (int (add (len $b) 1)) -}}
{{- range $i, $ca := splitList "" (index . 0) -}}
{{- $current := list (add $i 1) -}}
{{- range $j, $cb := $b -}}
{{- $current = append $current (min (add (index $previous (add $j 1)) 1) (add (index $current $j) 1) (add (index $previous $j) (ternary 0 1 (eq $ca $cb)))) -}}
{{- end -}}
{{- $previous = $current -}}
{{- end -}}
{{- last $previous -}}
{{- end -}}

{{/*
Fails on the first key of a map that is not known, naming the nearest known key when it is
close enough to be the one meant (at most a third of the key's characters differ, and not
all of them, as flowrel's schema messages decide). Arguments: (list $map $known $path), $known a dict whose
keys are the known names, $path the map's values path ("" for the top level): flowrel shows
a message `PATH: unknown key "K"` at the key in the user's file.
*/}}
{{- define "flow.checkKeys" -}}
{{- $known := index . 1 -}}
{{- $where := index . 2 -}}
{{- range $key, $_ := index . 0 -}}
{{- if not (hasKey $known $key) -}}
{{- $best := "" -}}
{{- $bestDistance := 1000 -}}
{{- range $candidate := keys $known -}}
{{- $distance := int (include "flow.distance" (list $key $candidate)) -}}
{{- if lt $distance $bestDistance }}{{ $best = $candidate }}{{ $bestDistance = $distance }}{{ end -}}
{{- end -}}
{{- $prefix := ternary "" (printf "%s: " $where) (eq $where "") -}}
{{- if le $bestDistance (min (div (max (len $key) 3) 3) (sub (len $key) 1)) -}}
{{- required (printf "%sunknown key %q; did you mean %q?" $prefix $key $best) nil -}}
{{- else -}}
{{- required (printf "%sunknown key %q (the chart README lists the keys)" $prefix $key) nil -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
The keys flowrel adds to every unit (gateway and Executors), with defaults in `defaults:`.
*/}}
{{- define "flow.unitKeys" -}}
labels annotations podLabels podAnnotations resources rollingUpdate minReadySeconds progressDeadlineSeconds revisionHistoryLimit nodeSelector tolerations affinity podSecurityContext securityContext serviceAccountName imagePullSecrets imagePullPolicy podDisruptionBudget configMaps secrets
{{- end -}}

{{/*
The known keys (flow.knownKeys) and the Executors' names (flow.executorNames), worked out by
the first template file that asks and kept on the top-level object, which every template
file of a render shares (as in Helm): each costs as much as rendering a few Executors.
Argument: the top-level object. Returns nothing; read `.flowKnownKeys` / `.flowExecutorNames`.
*/}}
{{- define "flow.cacheKnownKeys" -}}
{{- if not (hasKey . "flowKnownKeys") }}{{ $_ := set . "flowKnownKeys" (include "flow.knownKeys" . | fromJson) }}{{ end -}}
{{- end -}}
{{- define "flow.cacheExecutorNames" -}}
{{- include "flow.cacheExecutors" . -}}
{{- if not (hasKey . "flowExecutorNames") }}{{ $_ := set . "flowExecutorNames" (include "flow.executorNames" .flowExecutors | fromJsonArray) }}{{ end -}}
{{- end -}}

{{/*
The Executors with what each inherits from `with:`, as Jina's Flow.add() does: every key
Jina's Flow parser does not know itself (its _common_kwargs) and an Executor takes, except
the ones Jina never passes on (EXECUTOR_ARGS_BLACKLIST; `host`, which flowrel keeps off the
pods), unless the Executor sets its own (false and 0 included); and the Flow's workspace,
every Executor's default. Kept on the top-level object as `.flowExecutors` (native values,
no JSON round trip). Argument: the top-level object.
*/}}
{{- define "flow.cacheExecutors" -}}
{{- if not (hasKey . "flowExecutors") -}}
{{- include "flow.cacheKnownKeys" . -}}
{{- $flow := .Values.with | default dict -}}
{{- $inherited := dict -}}
{{- $flowOwn := list "env" "inspect" "log_config" "name" "quiet" "quiet_error" "reload" "suppress_root_logging" "uses" "workspace" "workspace_id" -}}
{{- $notPassed := list "port" "ports" "port_monitoring" "uses" "uses_with" "protocol" "protocols" "host" -}}
{{- range $key, $value := $flow -}}
{{- if and (hasKey $.flowKnownKeys.executor $key) (not (has $key $flowOwn)) (not (has $key $notPassed)) }}{{ $inherited = set $inherited $key $value }}{{ end -}}
{{- end -}}
{{- with (index $flow "workspace") }}{{ $inherited = set $inherited "workspace" . }}{{ end -}}
{{- $out := list -}}
{{- if and (kindIs "slice" .Values.executors) (gt (len .Values.executors) 999) }}{{ required (printf "executors: %d Executors are more than the Flow's 1000 units (the gateway and each Executor's shards and heads), the most flowrel renders; split the Flow" (len .Values.executors)) nil }}{{ end -}}
{{- range $given := .Values.executors | default list -}}
{{- $executor := $given -}}
{{- if kindIs "map" $given -}}
{{- $executor = deepCopy $given -}}
{{- range $key, $value := $inherited }}{{ if not (hasKey $executor $key) }}{{ $executor = set $executor $key $value }}{{ end }}{{ end -}}
{{- end -}}
{{- $out = append $out $executor -}}
{{- end -}}
{{- $_ := set . "flowExecutors" $out -}}
{{- end -}}
{{- end -}}

{{/*
The values path an Executor's parameter came from: its own key, or the Flow's `with:` it
inherited it from (`executors[1].replicas`, `with.replicas`). Messages start with it.
Arguments: (list $root $index $key).
*/}}
{{- define "flow.executorPath" -}}
{{- $root := index . 0 -}}
{{- $index := index . 1 -}}
{{- $key := index . 2 -}}
{{- $given := index $root.Values.executors $index -}}
{{- $flow := $root.Values.with | default dict -}}
{{- if and (not (hasKey $given $key)) (hasKey $flow $key) }}with.{{ $key }}{{ else }}executors[{{ $index }}].{{ $key }}{{ end -}}
{{- end -}}

{{/*
Known keys, as dicts (for hasKey): Jina 3.34's parameters plus flowrel's own.
*/}}
{{- define "flow.knownKeys" -}}
{{- $unit := include "flow.unitKeys" . -}}
{{- $gatewayJina := "compression cors deployments_addresses deployments_metadata deployments_no_reduce description docker_kwargs entrypoint env env_from_secret expose_endpoints expose_graphql_endpoint floating graph_conditions graph_description grpc_server_options host image_pull_secrets log_config metrics metrics_exporter_host metrics_exporter_port monitoring name no_crud_endpoints no_debug_endpoints port port_monitoring prefetch protocol proxy py_modules quiet quiet_error replicas restart retries runtime_cls ssl_certfile ssl_keyfile timeout_ctrl timeout_ready timeout_send title traces_exporter_host traces_exporter_port tracing uses uses_with uvicorn_kwargs workspace" -}}
{{- $flowJina := printf "%s asyncio tls inspect suppress_root_logging k8s_namespace port_expose infrastructure" $gatewayJina -}}
{{- $executorJina := "allow_concurrent compression connection_list disable_auto_volume disable_reduce docker_kwargs entrypoint env env_from_secret exit_on_exceptions external floating force_update gpus grpc_channel_options grpc_metadata grpc_server_options host image_pull_secrets install_requirements k8s_namespace log_config metrics metrics_exporter_host metrics_exporter_port monitoring name native needs no_reduce output_array_type peer_ports polling port port_monitoring prefer_platform protocol provider provider_endpoint py_modules quiet quiet_error raft_configuration reload replicas restart retries runtime_cls shards stateful suppress_root_logging timeout_ctrl timeout_ready timeout_send tls traces_exporter_host traces_exporter_port tracing uses uses_after uses_after_address uses_before uses_before_address uses_dynamic_batching uses_metas uses_requests uses_with volumes when workspace workspace_id" -}}
{{- /* Jina passes the Flow's parameters it does not know itself on to every Executor. */ -}}
{{- $flowJina = printf "%s %s" $flowJina $executorJina -}}
{{- $sets := dict
  "top" "jtype version with gateway executors image serviceMesh namespace defaults configMaps secrets serviceAccount jobs"
  "with" $flowJina
  "gateway" (printf "%s %s image service ingress tlsSecret" $gatewayJina $unit)
  "executor" (printf "%s %s storage autoscaling k8s_uses_init k8s_init_container_command k8s_mount_path" $executorJina $unit)
  "defaults" (printf "%s storage" $unit)
  "job" (printf "name uses image command args env env_from_secret schedule concurrencyPolicy suspend successfulJobsHistoryLimit failedJobsHistoryLimit startingDeadlineSeconds backoffLimit activeDeadlineSeconds ttlSecondsAfterFinished restartPolicy %s" $unit) -}}
{{- $out := dict -}}
{{- range $set, $words := $sets -}}
{{- $names := dict -}}
{{- range splitList " " $words }}{{ $names = set $names . true }}{{ end -}}
{{- $out = set $out $set $names -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{/*
The Executors with their Jina names, as Jina's Flow.add() names them: `name`, else
`executor<index>`; a name already taken gets the index appended (the third Executor, a
second `enc`, becomes `enc2`). Names must be Python identifiers (Jina refuses others); two
names with the same Kubernetes name are refused, as are Executors whose units would share a
name (`a` with shards and an Executor named `a_head`, or an Executor named `gateway`).
Returns JSON: a list of {name, dns, head}; `head` is whether the Executor gets a head unit
(more than one shard, or uses_before/uses_after).
*/}}
{{- define "flow.executorNames" -}}
{{- $unitCount := 1 -}}
{{- $taken := dict -}}
{{- $dnsTaken := dict -}}
{{- $unitsTaken := dict "gateway" "the gateway" -}}
{{- $out := list -}}
{{- range $index, $executor := . -}}
{{- $where := printf "executors[%d]" $index -}}
{{- if not (kindIs "map" $executor) }}{{ required (printf "%s: must be a map of Jina Executor parameters (name, uses, shards, ...), not %s" $where (kindOf $executor)) nil }}{{ end -}}
{{- /* Jina names an Executor without a name (or with an empty one) executor<index>. */ -}}
{{- $name := printf "executor%d" $index -}}
{{- with (index $executor "name") }}{{ $name = toString . }}{{ $where = printf "executors[%d].name" $index }}{{ end -}}
{{- $identifier := "^[A-Za-z_][A-Za-z0-9_]*$" -}}
{{- if not (regexMatch $identifier $name) -}}
{{- /* A name like the one given that Jina takes: other characters as _, leading digits moved to the end. */ -}}
{{- $fixed := regexReplaceAll "[^A-Za-z0-9_]+" $name "_" | trimAll "_" -}}
{{- $fixed = printf "%s%s" (regexReplaceAll "^[0-9]+_*" $fixed "") (regexFind "^[0-9]+" $fixed) -}}
{{- if not (regexMatch $identifier $fixed) }}{{ $fixed = printf "executor%d" $index }}{{ end -}}
{{- required (printf "%s: %q is invalid: Jina names follow the Python variable name conventions (letters, digits and _, not starting with a digit), e.g. %q" $where $name $fixed) nil -}}
{{- end -}}
{{- if hasKey $taken $name }}{{ $name = printf "%s%d" $name $index }}{{ end -}}
{{- $dns := include "flow.dnsName" $name -}}
{{- if or (hasPrefix "-" $dns) (hasSuffix "-" $dns) -}}
{{- required (printf "%s: %q becomes the Kubernetes name %q, which Kubernetes refuses (names start and end with a letter or digit), e.g. %q" $where $name $dns (trimAll "_" $name | default (printf "executor%d" $index))) nil -}}
{{- end -}}
{{- if hasKey $dnsTaken $dns -}}
{{- required (printf "%s: %q and %q both become the Kubernetes name %q; rename one of them" $where (get $dnsTaken $dns) $name $dns) nil -}}
{{- end -}}
{{- $taken = set $taken $name true -}}
{{- $dnsTaken = set $dnsTaken $dns $name -}}
{{- $shards := int ((index $executor "shards") | default 1) -}}
{{- $head := or (gt $shards 1) (not (empty (index $executor "uses_before"))) (not (empty (index $executor "uses_after"))) -}}
{{- if not (index $executor "external") }}{{ $unitCount = add $unitCount $shards (ternary 1 0 $head) }}{{ end -}}
{{- if gt $unitCount 1000 }}{{ required (printf "%s: the Flow would run more than 1000 units (the gateway, each Executor's shards and heads; shards given in with: count for every Executor), the most flowrel renders; use fewer shards, or replicas, or split the Flow" (printf "executors[%d]" $index)) nil }}{{ end -}}
{{- $units := list $dns -}}
{{- if gt $shards 1 }}{{ $units = list }}{{ range $shard := until $shards }}{{ $units = append $units (printf "%s-%d" $dns $shard) }}{{ end }}{{ end -}}
{{- if $head }}{{ $units = append $units (printf "%s-head" $dns) }}{{ end -}}
{{- if not (index $executor "external") -}}
{{- range $unit := $units -}}
{{- if hasKey $unitsTaken $unit -}}
{{- required (printf "%s: Executor %q would make objects named %q, as %s does; rename one of them" $where $name $unit (get $unitsTaken $unit)) nil -}}
{{- end -}}
{{- $unitsTaken = set $unitsTaken $unit (printf "Executor %q" $name) -}}
{{- end -}}
{{- end -}}
{{- $out = append $out (dict "name" $name "dns" $dns "head" $head) -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{/*
A whole number >= 1 (shards, replicas). Arguments: (list $value $default $path), $path the
values path the value came from.
*/}}
{{- define "flow.count" -}}
{{- $value := index . 0 -}}
{{- if kindIs "invalid" $value }}{{ $value = index . 1 }}{{ end -}}
{{- if not (or (kindIs "int" $value) (kindIs "int64" $value) (and (kindIs "float64" $value) (eq (float64 (int $value)) $value))) -}}
{{- required (printf "%s: must be a whole number, 1 or more, not %v" (index . 2) $value) nil -}}
{{- end -}}
{{- if lt (int $value) 1 }}{{ required (printf "%s: must be 1 or more, not %d" (index . 2) (int $value)) nil }}{{ end -}}
{{- int $value -}}
{{- end -}}

{{/*
The settings of one unit: the unit's own value of each flowrel key, else the Flow-wide
default; labels, annotations, pod labels/annotations and nodeSelector merge (the unit's own
win). Arguments: (list $own $defaults). Returns JSON.
*/}}
{{- define "flow.settings" -}}
{{- $own := index . 0 -}}
{{- $defaults := index . 1 -}}
{{- $out := dict -}}
{{- $merged := list "labels" "annotations" "podLabels" "podAnnotations" "nodeSelector" -}}
{{- range $key := $merged -}}
{{- $out = set $out $key (merge (dict) (index $own $key | default dict) (index $defaults $key | default dict)) -}}
{{- end -}}
{{- /* The other keys: the defaults' first, then the unit's own over them (only the keys each has). */ -}}
{{- $plain := without (splitList " " (include "flow.unitKeys" .)) "labels" "annotations" "podLabels" "podAnnotations" "nodeSelector" -}}
{{- range $from := list $defaults $own -}}
{{- range $key, $value := $from }}{{ if has $key $plain }}{{ $out = set $out $key $value }}{{ end }}{{ end -}}
{{- end -}}
{{- with (ternary (index $own "storage") (index $defaults "storage") (hasKey $own "storage")) }}{{ $out = set $out "storage" . }}{{ end -}}
{{- toJson $out -}}
{{- end -}}

{{/*
Metadata lines of an object of a unit: name, labels, annotations.
Arguments: dict with name, app (the `app` label, or ""), settings.
*/}}
{{- define "flow.metadata" -}}
metadata:
  name: {{ .name }}
  {{- if or .app .settings.labels }}
  labels:
    {{- with .app }}
    app: {{ . }}
    {{- end }}
    {{- range $key, $value := .settings.labels }}
    {{- if ne $key "app" }}
    {{ $key }}: {{ toString $value | quote }}
    {{- end }}
    {{- end }}
  {{- end }}
  {{- with .settings.annotations }}
  annotations:
    {{- range $key, $value := . }}
    {{ $key }}: {{ toString $value | quote }}
    {{- end }}
  {{- end }}
{{- end -}}

{{/*
One Jina unit (gateway, head, or shard): its ConfigMap, Service, Deployment (StatefulSet
with storage), and what the settings ask for (PodDisruptionBudget, HorizontalPodAutoscaler,
ServiceMonitor).
Argument: a dict with root, name (Kubernetes name), jinaName, podType, shardId, replicas,
role (executor or gateway), protocol, args, image, env (ConfigMap data), secretEnv
(env_from_secret), timeoutReady, sidecars, imagePullSecrets (Jina's), gpus, settings,
storage (mountPath or ""), monitoring, init (k8s_uses_init or absent), autoscaling, ports.
*/}}
{{- define "flow.unit" -}}
{{- $root := .root -}}
{{- $ns := $root.Release.Namespace -}}
{{- $settings := .settings -}}
{{- $meta := dict "name" .name "app" .name "settings" $settings -}}
apiVersion: v1
kind: ConfigMap
{{ include "flow.metadata" (dict "name" (printf "%s-configmap" .name) "app" "" "settings" $settings) }}
data:
  pythonunbuffered: "1"
  worker_class: uvicorn.workers.UvicornH11Worker
  {{- range $key, $value := .env }}
  {{ $key | quote }}: {{ include "flow.pystr" $value | quote }}
  {{- end }}
---
apiVersion: v1
kind: Service
{{- $serviceSettings := $settings }}
{{- with (index . "serviceAnnotations") }}{{ $serviceSettings = merge (dict "annotations" (merge (dict) . ($settings.annotations | default dict))) $settings }}{{ end }}
{{ include "flow.metadata" (dict "name" .name "app" .name "settings" $serviceSettings) }}
spec:
  type: {{ (index . "serviceType") | default "ClusterIP" }}
  selector:
    app: {{ .name }}
  ports:
    - name: port
      port: 8080
      targetPort: 8080
      protocol: TCP
      {{- with (index . "nodePort") }}
      nodePort: {{ . }}
      {{- end }}
    {{- if (index . "monitoring") }}
    - name: monitoring
      port: 9090
      targetPort: 9090
      protocol: TCP
    {{- end }}
---
apiVersion: apps/v1
kind: {{ ternary "StatefulSet" "Deployment" (not (empty .storage)) }}
{{ include "flow.metadata" (dict "name" .name "app" "" "settings" $settings) }}
spec:
  {{- if not (index . "autoscaling") }}
  replicas: {{ .replicas }}
  {{- end }}
  {{- if .storage }}
  serviceName: {{ .name }}
  updateStrategy:
    type: RollingUpdate
  {{- else }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: {{ dig "rollingUpdate" "maxSurge" 1 $settings }}
      maxUnavailable: {{ dig "rollingUpdate" "maxUnavailable" 0 $settings }}
  {{- with (index $settings "progressDeadlineSeconds") }}
  progressDeadlineSeconds: {{ . }}
  {{- end }}
  {{- end }}
  {{- with (index $settings "minReadySeconds") }}
  minReadySeconds: {{ . }}
  {{- end }}
  {{- if hasKey $settings "revisionHistoryLimit" }}
  revisionHistoryLimit: {{ $settings.revisionHistoryLimit }}
  {{- end }}
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
        {{- if or $settings.podLabels $settings.labels }}
        {{- range $key, $value := merge (dict) $settings.podLabels $settings.labels }}
        {{- if not (has $key (list "app" "jina_deployment_name" "shard_id" "pod_type" "ns")) }}
        {{ $key }}: {{ toString $value | quote }}
        {{- end }}
        {{- end }}
        {{- end }}
      {{- $podAnnotations := $settings.podAnnotations | default dict }}
      {{- if eq $root.Values.serviceMesh "linkerd" }}
      {{- $podAnnotations = merge (dict "linkerd.io/inject" "enabled") $podAnnotations }}
      {{- else if eq $root.Values.serviceMesh "istio" }}
      {{- $podAnnotations = merge (dict "sidecar.istio.io/inject" "true") $podAnnotations }}
      {{- end }}
      {{- with $podAnnotations }}
      annotations:
        {{- range $key, $value := . }}
        {{ $key }}: {{ toString $value | quote }}
        {{- end }}
      {{- end }}
    spec:
      {{- include "flow.podSettings" (list $settings .imagePullSecrets) | nindent 6 }}
      {{- with (index . "init") }}
      initContainers:
        - name: init
          image: {{ .image }}
          imagePullPolicy: {{ $settings.imagePullPolicy | default "IfNotPresent" }}
          {{- with .command }}
          command:
            {{- range . }}
            - {{ toString . | quote }}
            {{- end }}
          {{- end }}
          volumeMounts:
            - name: {{ $.name }}-init
              mountPath: {{ .mountPath }}
      {{- end }}
      containers:
        {{- include "flow.container" (dict "unit" . "containerName" .role "image" .image "args" .args "ports" .ports "main" true) | nindent 8 }}
        {{- range .sidecars }}
        {{- include "flow.container" (dict "unit" $ "containerName" .name "image" .image "args" .args "ports" (list .port) "main" false) | nindent 8 }}
        {{- end }}
      {{- $volumes := .configRefs.volumes | default list }}
      {{- with (index . "init") }}{{ $volumes = prepend $volumes (dict "name" (printf "%s-init" $.name) "emptyDir" (dict)) }}{{ end }}
      {{- with $volumes }}
      volumes:
        {{- toYaml . | nindent 8 }}
      {{- end }}
  {{- with .storage }}
  {{- $storage := $settings.storage | default dict }}
  volumeClaimTemplates:
    - metadata:
        name: {{ $.name }}-volume
      spec:
        accessModes:
          {{- toYaml ($storage.accessModes | default (list "ReadWriteOnce")) | nindent 10 }}
        storageClassName: {{ $storage.storageClass | default "standard" }}
        resources:
          requests:
            storage: {{ $storage.size | default "10G" }}
  {{- end }}
{{- with (index $settings "podDisruptionBudget") }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
{{ include "flow.metadata" $meta }}
spec:
  {{- toYaml . | nindent 2 }}
  selector:
    matchLabels:
      app: {{ $.name }}
{{- end }}
{{- with (index . "autoscaling") }}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
{{ include "flow.metadata" $meta }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ $.name }}
  minReplicas: {{ .minReplicas | default $.replicas }}
  maxReplicas: {{ required (printf "%s: autoscaling needs maxReplicas" $.jinaName) .maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ .targetCPUUtilizationPercentage | default 80 }}
    {{- with (index . "targetMemoryUtilizationPercentage") }}
    - type: Resource
      resource:
        name: memory
        target:
          type: Utilization
          averageUtilization: {{ . }}
    {{- end }}
{{- end }}
{{- if (index . "monitoring") }}
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
{{ include "flow.metadata" $meta }}
spec:
  endpoints:
    - port: monitoring
  namespaceSelector:
    matchNames:
      - {{ $ns }}
  selector:
    matchLabels:
      app: {{ .name }}
{{- end }}
{{- end -}}

{{/*
A container of a unit's pod: the unit's main container, or a uses_before/uses_after sidecar.
Probes name the scheme of the unit's protocol (Jina's head and sidecar probes omit it).
*/}}
{{- define "flow.container" -}}
{{- $unit := .unit -}}
{{- $settings := $unit.settings -}}
{{- $ns := $unit.root.Release.Namespace -}}
{{- $address := printf "%s://127.0.0.1:%v" $unit.protocol (first .ports) -}}
- name: {{ .containerName }}
  image: {{ .image }}
  imagePullPolicy: {{ (index $settings "imagePullPolicy") | default "IfNotPresent" }}
  command: ["jina"]
  args: {{ toJson .args }}
  ports:
    {{- range .ports }}
    - containerPort: {{ . }}
    {{- end }}
  envFrom:
    - configMapRef:
        name: {{ $unit.name }}-configmap
    {{- if and .main $unit.configRefs.envFrom }}
    {{- toYaml $unit.configRefs.envFrom | nindent 4 }}
    {{- end }}
  env:
    - name: POD_UID
      valueFrom:
        fieldRef:
          fieldPath: metadata.uid
    - name: JINA_DEPLOYMENT_NAME
      value: {{ $unit.jinaName }}
    - name: {{ ternary "K8S_STATEFULSET_NAME" "K8S_DEPLOYMENT_NAME" (not (empty $unit.storage)) }}
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
          name: {{ required (printf "%s: env_from_secret.%s needs a name (the Secret)" $unit.jinaName $key) $ref.name }}
          key: {{ required (printf "%s: env_from_secret.%s needs a key (in the Secret)" $unit.jinaName $key) $ref.key }}
    {{- end }}
    {{- end }}
  startupProbe:
    exec:
      command: ["jina", "ping", {{ $unit.role | quote }}, {{ $address | quote }}]
    initialDelaySeconds: 5
    periodSeconds: 5
    failureThreshold: {{ include "flow.failureThreshold" (index $unit "timeoutReady") }}
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
  {{- if .main }}
  {{- $resources := (index $settings "resources") | default dict }}
  {{- if and $unit.gpus (ne (toString $unit.gpus) "all") }}
  {{- $resources = merge (dict "limits" (merge (dict "nvidia.com/gpu" (toString $unit.gpus)) ($resources.limits | default dict))) $resources }}
  {{- end }}
  {{- with $resources }}
  resources:
    {{- include "flow.resources" . | nindent 4 }}
  {{- end }}
  {{- with (index $settings "securityContext") }}
  securityContext:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- $mounts := list }}
  {{- with $unit.storage }}{{ $mounts = append $mounts (dict "name" (printf "%s-volume" $unit.name) "mountPath" .) }}{{ end }}
  {{- with (index $unit "init") }}{{ $mounts = append $mounts (dict "name" (printf "%s-init" $unit.name) "mountPath" .mountPath) }}{{ end }}
  {{- $mounts = concat $mounts ($unit.configRefs.mounts | default list) }}
  {{- with $mounts }}
  volumeMounts:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- end }}
{{- end -}}

{{/*
The Jina arguments of one parameter, as JSON, as Jina's kwargs2list writes a value that is
not Jina's default: `--key-name`, then a boolean as the bare flag when true (nothing when
false), a map as JSON, a list as its items, anything else as its text.
Arguments: (list $key $value).
*/}}
{{- define "flow.forward" -}}
{{- $key := index . 0 -}}
{{- $value := index . 1 -}}
{{- $flag := printf "--%s" (replace "_" "-" $key) -}}
{{- $defaults := dict "timeout_ready" "600000" "retries" "-1" "timeout_ctrl" "60" "prefetch" "1000" -}}
{{- $out := list -}}
{{- if or (kindIs "invalid" $value) (eq (toString $value) (get $defaults $key | default "\x00")) -}}
{{- else if kindIs "bool" $value -}}
{{- if $value }}{{ $out = list $flag }}{{ end -}}
{{- else if kindIs "map" $value -}}
{{- $out = list $flag (include "flow.pyjson" $value) -}}
{{- else if kindIs "slice" $value -}}
{{- range $value }}{{ $out = append $out (include "flow.pystr" .) }}{{ end -}}
{{- if $out }}{{ $out = prepend $out $flag }}{{ end -}}
{{- else -}}
{{- $out = list $flag (include "flow.pystr" $value) -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{/*
The spec of a Job (also a CronJob's job template): limits and the pod.
Arguments: dict with job, image, settings, root, where.
*/}}
{{- define "flow.jobPod" -}}
{{- $job := .job -}}
{{- $settings := .settings -}}
{{- with $job.backoffLimit -}}
backoffLimit: {{ . }}
{{ end -}}
{{- with (index $job "activeDeadlineSeconds") -}}
activeDeadlineSeconds: {{ . }}
{{ end -}}
{{- with (index $job "ttlSecondsAfterFinished") -}}
ttlSecondsAfterFinished: {{ . }}
{{ end -}}
template:
  metadata:
    labels:
      app: {{ $job.name }}
      {{- range $key, $value := merge (dict) $settings.podLabels $settings.labels }}
      {{- if ne $key "app" }}
      {{ $key }}: {{ toString $value | quote }}
      {{- end }}
      {{- end }}
    {{- with $settings.podAnnotations }}
    annotations:
      {{- include "flow.stringMap" . | nindent 6 }}
    {{- end }}
  spec:
    restartPolicy: {{ (index $job "restartPolicy") | default "OnFailure" }}
    {{- include "flow.podSettings" (list $settings list) | nindent 4 }}
    {{- $refs := include "flow.configRefs" (list $settings .where) | fromJson }}
    {{- with $refs.volumes }}
    volumes:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    containers:
      - name: {{ $job.name }}
        image: {{ .image }}
        imagePullPolicy: {{ $settings.imagePullPolicy | default "IfNotPresent" }}
        {{- with $job.command }}
        command:
          {{- range . }}
          - {{ toString . | quote }}
          {{- end }}
        {{- end }}
        {{- with (index $job "args") }}
        args:
          {{- range . }}
          - {{ toString . | quote }}
          {{- end }}
        {{- end }}
        {{- if or (index $job "env") $job.env_from_secret }}
        env:
          {{- range $key, $value := (index $job "env") }}
          - name: {{ $key }}
            value: {{ toString $value | quote }}
          {{- end }}
          {{- range $key, $ref := $job.env_from_secret }}
          - name: {{ $key }}
            valueFrom:
              secretKeyRef:
                name: {{ $ref.name }}
                key: {{ $ref.key }}
          {{- end }}
        {{- end }}
        {{- with $refs.envFrom }}
        envFrom:
          {{- toYaml . | nindent 10 }}
        {{- end }}
        {{- with $refs.mounts }}
        volumeMounts:
          {{- toYaml . | nindent 10 }}
        {{- end }}
        {{- with $settings.resources }}
        resources:
          {{- include "flow.resources" . | nindent 10 }}
        {{- end }}
        {{- with $settings.securityContext }}
        securityContext:
          {{- toYaml . | nindent 10 }}
        {{- end }}
{{- end -}}

{{/*
The pod-level settings of a unit or Job: pull secrets (Jina's image_pull_secrets joined with
flowrel's), service account, pod security context, and scheduling.
Arguments: (list $settings $jinaPullSecrets).
*/}}
{{- define "flow.podSettings" -}}
{{- $settings := index . 0 -}}
{{- with concat (index . 1 | default list) ((index $settings "imagePullSecrets") | default list) | uniq }}
imagePullSecrets:
  {{- range . }}
  - name: {{ . }}
  {{- end }}
{{- end }}
{{- with (index $settings "serviceAccountName") }}
serviceAccountName: {{ . }}
{{- end }}
{{- with (index $settings "podSecurityContext") }}
securityContext:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $settings.nodeSelector }}
nodeSelector:
  {{- include "flow.stringMap" . | nindent 2 }}
{{- end }}
{{- with (index $settings "tolerations") }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with (index $settings "affinity") }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/*
What a unit's or Job's `configMaps` and `secrets` settings add to its pod, as JSON: envFrom
entries for names, volumes and read-only mounts for {name, mountPath} items.
Arguments: (list $settings $where).
*/}}
{{- define "flow.configRefs" -}}
{{- $settings := index . 0 -}}
{{- $out := dict "envFrom" list "volumes" list "mounts" list -}}
{{- range $kind := list (list "configMaps" "configmap" "configMapRef") (list "secrets" "secret" "secretRef") -}}
{{- $key := index $kind 0 -}}
{{- range (index $settings $key | default list) -}}
{{- if kindIs "string" . -}}
{{- $out = set $out "envFrom" (append $out.envFrom (dict (index $kind 2) (dict "name" .))) -}}
{{- else -}}
{{- $volume := printf "%s-%s" (index $kind 1) .name -}}
{{- $source := ternary (dict "configMap" (dict "name" .name)) (dict "secret" (dict "secretName" .name)) (eq $key "configMaps") -}}
{{- $out = set $out "volumes" (append $out.volumes (merge (dict "name" $volume) $source)) -}}
{{- $out = set $out "mounts" (append $out.mounts (dict "name" $volume "mountPath" (required (printf "%s: %s item %s needs a mountPath" (index $ 1) $key .name) .mountPath) "readOnly" true)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- toJson $out -}}
{{- end -}}
