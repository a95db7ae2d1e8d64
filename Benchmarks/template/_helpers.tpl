{{- /* Shared pieces, as a chart's _helpers.tpl would hold them. */ -}}
{{- define "fullname" -}}{{ .release }}-{{ .name }}{{- end -}}

{{- define "labels" }}
    app.kubernetes.io/name: {{ .name }}
    app.kubernetes.io/instance: {{ .release }}
    app.kubernetes.io/managed-by: flowrel
    {{- range $key, $value := .labels }}
    {{ $key }}: {{ printf "%q" $value }}
    {{- end }}
{{- end -}}

{{- define "selector" }}
      app.kubernetes.io/name: {{ .name }}
      app.kubernetes.io/instance: {{ .release }}
{{- end -}}

{{- define "resources" -}}
{{- with .resources }}
          resources:
            {{- with .requests }}
            requests:
              cpu: {{ .cpu }}
              memory: {{ .memory }}
            {{- end }}
            {{- with .limits }}
            limits:
              cpu: {{ .cpu }}
              memory: {{ .memory }}
            {{- end }}
{{- end }}
{{- end -}}
