{{- define "deployment" }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ template "fullname" . }}
  namespace: {{ .namespace }}
  labels:{{ template "labels" . }}
spec:
  replicas: {{ .replicas }}
  selector:
    matchLabels:{{ template "selector" . }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: {{ .rollout.maxSurge }}
      maxUnavailable: {{ .rollout.maxUnavailable }}
  template:
    metadata:
      labels:{{ template "selector" . }}
      annotations:
        checksum/config: {{ printf "%x" .name }}
    spec:
      serviceAccountName: {{ template "fullname" . }}
      containers:
        - name: executor
          image: {{ printf "%s:%s" .image.repository .image.tag }}
          imagePullPolicy: {{ or .image.pullPolicy "IfNotPresent" }}
          args: [{{ range $j, $a := .args }}{{ if $j }}, {{ end }}{{ printf "%q" $a }}{{ end }}]
          ports:
            - containerPort: {{ .port }}
              name: grpc
          env:
            {{- range $k, $v := .env }}
            - name: {{ $k }}
              value: {{ printf "%q" (print $v) }}
            {{- end }}
            {{- with .secretRef }}
          envFrom:
            - secretRef:
                name: {{ . }}
            {{- end }}
          {{- template "resources" . }}
          readinessProbe:
            tcpSocket:
              port: {{ .port }}
            initialDelaySeconds: {{ if gt .replicas 2 }}10{{ else }}5{{ end }}
{{- end -}}

{{- define "service" }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ template "fullname" . }}
  namespace: {{ .namespace }}
  labels:{{ template "labels" . }}
spec:
  type: {{ if .external }}LoadBalancer{{ else }}ClusterIP{{ end }}
  selector:{{ template "selector" . }}
  ports:
    - name: grpc
      port: {{ .port }}
      targetPort: {{ .port }}
{{- end -}}

{{- define "configmap" }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ template "fullname" . }}-config
  namespace: {{ .namespace }}
data:
  {{- range $key, $value := .config }}
  {{ $key }}: {{ printf "%v" $value | printf "%q" }}
  {{- end }}
{{- end -}}

{{- define "hpa" }}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ template "fullname" . }}
  namespace: {{ .namespace }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ template "fullname" . }}
  minReplicas: {{ .autoscaling.min }}
  maxReplicas: {{ .autoscaling.max }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ .autoscaling.cpu }}
{{- end -}}

{{- define "serviceaccount" }}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ template "fullname" . }}
  namespace: {{ .namespace }}
  labels:{{ template "labels" . }}
{{- end -}}
