{{- range $i, $e := .executors }}
{{- template "deployment" $e }}
{{- template "service" $e }}
{{- if $e.config }}{{ template "configmap" $e }}{{ end }}
{{- if and $e.autoscaling (gt $e.autoscaling.max 1) }}{{ template "hpa" $e }}{{ end }}
{{- template "serviceaccount" $e }}
{{- end }}
