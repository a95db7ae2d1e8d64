import FlowrelChart
import FlowrelValue
import Testing

/// The settings Jina tells users to add by hand, as values: Flow-wide `defaults`, overridden
/// per Executor and on the gateway; each present, absent, overridden, and bad.
@Suite struct UnitSettingsTests {
  /// Two Executors (one sharded) and whatever `extra` adds at the top level; `own` is added to
  /// the first Executor (`enc`) only.
  static func values(_ extra: String = "", own: String = "") -> String {
    """
    executors:
      - name: enc
        uses: docker://enc:1.0
    \(own.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
      - name: idx
        uses: docker://idx:1.0
        shards: 2
    \(extra)
    """
  }

  /// The workloads of every unit: gateway, enc, the idx head and its two shards.
  static let workloads = ["Deployment/gateway", "Deployment/enc", "Deployment/idx-head", "Deployment/idx-0", "Deployment/idx-1"]

  @Test func labelsAndAnnotationsGoOnEveryObjectAndPodButNeverOnSelectors() throws {
    let out = try FlowChart.render(Self.values("defaults:\n  labels: {team: search}\n  annotations: {owner: ops}", own: "labels: {tier: front}"))
    for (key, object) in out.objects where key.hasPrefix("Deployment/") || key.hasPrefix("Service/") || key.hasPrefix("ConfigMap/") {
      #expect(object.at("metadata.labels.team") == "search", "\(key)")
      #expect(object.at("metadata.annotations.owner") == "ops", "\(key)")
    }
    let enc = out["Deployment/enc"]
    #expect(enc?.at("metadata.labels.tier") == "front")
    #expect(out["Deployment/idx-0"]?.at("metadata.labels.tier") == nil, "an Executor's own labels stay on it")
    #expect(FlowChart.pod(enc)?.at("metadata.labels.tier") == "front")
    #expect(enc?.at("spec.selector.matchLabels") ≡ ["app": "enc"])
    #expect(out["Service/enc"]?.at("spec.selector") ≡ ["app": "enc"])
    let plain = try FlowChart.render(Self.values())
    #expect(plain["Deployment/enc"]?.at("metadata.labels.team") == nil)
    #expect(FlowChart.failure(Self.values("defaults:\n  labels: [a]")).contains("defaults.labels"))
  }

  @Test func podLabelsAndAnnotationsJoinTheServiceMeshAnnotation() throws {
    let out = try FlowChart.render(Self.values("defaults:\n  podAnnotations: {a: \"1\"}", own: "podAnnotations: {b: \"2\"}\npodLabels: {c: \"3\"}"))
    let annotations = FlowChart.pod(out["Deployment/enc"])?.at("metadata.annotations")
    #expect(annotations ≡ ["linkerd.io/inject": "enabled", "a": "1", "b": "2"])
    #expect(FlowChart.pod(out["Deployment/enc"])?.at("metadata.labels.c") == "3")
    #expect(out["Deployment/enc"]?.at("metadata.labels.c") == nil, "pod labels stay on pods")
  }

  @Test(arguments: [("linkerd", ["linkerd.io/inject": "enabled"]), ("istio", ["sidecar.istio.io/inject": "true"]), ("none", nil)] as [(String, Value?)])
  func serviceMeshAnnotationsAreSelectable(mesh: String, annotations: Value?) throws {
    let out = try FlowChart.render(Self.values("serviceMesh: \(mesh)"))
    for key in Self.workloads { #expect(FlowChart.pod(out[key])?.at("metadata.annotations") == annotations, "\(key)") }
    #expect(FlowChart.failure(Self.values("serviceMesh: envoy")).contains("serviceMesh"))
  }

  @Test func resourcesDefaultOverrideAndGPUs() throws {
    let out = try FlowChart.render(Self.values(
      "defaults:\n  resources: {requests: {cpu: 500m}}", own: "gpus: 2\nresources: {limits: {memory: 2Gi}}"))
    #expect(FlowChart.container(out["Deployment/enc"])?["resources"] ≡ ["limits": ["memory": "2Gi", "nvidia.com/gpu": "2"]])
    #expect(FlowChart.container(out["Deployment/idx-0"])?["resources"] ≡ ["requests": ["cpu": "500m"]])
    #expect(FlowChart.container(out["Deployment/gateway"])?["resources"] ≡ ["requests": ["cpu": "500m"]])
    let plain = try FlowChart.render(Self.values())
    #expect(FlowChart.container(plain["Deployment/enc"])?["resources"] == nil)
    #expect(FlowChart.failure(Self.values("defaults:\n  resources: {request: {}}")).contains("defaults.resources"))
  }

  @Test func rollingUpdateSettings() throws {
    let out = try FlowChart.render(Self.values(
      "defaults:\n  rollingUpdate: {maxSurge: 2, maxUnavailable: 1}\n  minReadySeconds: 10\n  progressDeadlineSeconds: 300\n  revisionHistoryLimit: 2",
      own: "rollingUpdate: {maxSurge: 25%, maxUnavailable: 0}\nrevisionHistoryLimit: 0"))
    let idx = out["Deployment/idx-0"]
    #expect(idx?.at("spec.strategy") ≡ ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": 2, "maxUnavailable": 1]])
    #expect(idx?.at("spec.minReadySeconds") == 10)
    #expect(idx?.at("spec.progressDeadlineSeconds") == 300)
    #expect(idx?.at("spec.revisionHistoryLimit") == 2)
    let enc = out["Deployment/enc"]
    #expect(enc?.at("spec.strategy.rollingUpdate") ≡ ["maxSurge": "25%", "maxUnavailable": 0])
    #expect(enc?.at("spec.revisionHistoryLimit") == 0)
    let plain = try FlowChart.render(Self.values())
    #expect(plain["Deployment/enc"]?.at("spec.strategy.rollingUpdate") ≡ ["maxSurge": 1, "maxUnavailable": 0], "Jina's defaults")
    #expect(plain["Deployment/enc"]?.at("spec.minReadySeconds") == nil)
    #expect(FlowChart.failure(Self.values("defaults:\n  minReadySeconds: -1")).contains("minReadySeconds"))
  }

  @Test func storageMakesAStatefulSetPerShardWithAClaim() throws {
    let out = try FlowChart.render(Self.values(
      "defaults:\n  storage: {size: 5Gi, storageClass: fast, mountPath: /data}",
      own: "storage: {size: 1Gi, accessModes: [ReadWriteOncePod], mountPath: /workspace}"))
    #expect(out.names(of: "StatefulSet") == ["enc", "idx-0", "idx-1"])
    #expect(out["Deployment/idx-head"] != nil, "the head holds no data")
    let shard = out["StatefulSet/idx-1"]
    #expect(shard?.at("spec.serviceName") == "idx-1")
    #expect(shard?.at("spec.strategy") == nil)
    #expect(shard?.at("spec.volumeClaimTemplates.0") ≡ [
      "metadata": ["name": "idx-1-volume"],
      "spec": ["accessModes": ["ReadWriteOnce"], "storageClassName": "fast", "resources": ["requests": ["storage": "5Gi"]]],
    ])
    #expect(FlowChart.container(shard)?["volumeMounts"] ≡ [["mountPath": "/data", "name": "idx-1-volume"]])
    let enc = out["StatefulSet/enc"]
    #expect(enc?.at("spec.volumeClaimTemplates.0.spec.accessModes") ≡ ["ReadWriteOncePod"])
    #expect(enc?.at("spec.volumeClaimTemplates.0.spec.storageClassName") == "standard", "the Executor's storage replaces the default")
    #expect(FlowChart.container(enc)?.at("volumeMounts.0.mountPath") == "/workspace")
    #expect(try FlowChart.render(Self.values()).names(of: "StatefulSet").isEmpty)
    #expect(FlowChart.failure(Self.values(own: "storage: {size: 1Gi}")).contains("values.yaml:4:14: executors[0].storage: needs a mountPath"))
  }

  @Test func jinaVolumesAreSplitIntoTheContainerPath() throws {
    let out = try FlowChart.render(Self.values(own: "volumes: ['/host/data:/data']"))
    let enc = out["StatefulSet/enc"]
    #expect(FlowChart.container(enc)?.at("volumeMounts.0.mountPath") == "/data")
    #expect(enc?.at("spec.volumeClaimTemplates.0.spec.resources.requests.storage") == "10G", "Jina's default size")
    #expect(FlowChart.container(enc)?["env"]?.listValue?.contains(["name": "K8S_STATEFULSET_NAME", "value": "enc"]) == true)
  }

  @Test func configMapsFromValuesAsEnvOrFiles() throws {
    let out = try FlowChart.render(Self.values(
      "configMaps:\n  common: {data: {TOP_K: 10}}\n  files: {data: {a.cfg: x}}\ndefaults:\n  configMaps: [common]",
      own: "configMaps: [common, {name: files, mountPath: /etc/enc}]"))
    #expect(out["ConfigMap/common"]?["data"] ≡ ["TOP_K": "10"])
    let enc = FlowChart.container(out["Deployment/enc"])
    #expect(enc?["envFrom"] ≡ [["configMapRef": ["name": "enc-configmap"]], ["configMapRef": ["name": "common"]]])
    #expect(enc?["volumeMounts"] ≡ [["mountPath": "/etc/enc", "name": "configmap-files", "readOnly": true]])
    #expect(FlowChart.pod(out["Deployment/enc"])?.at("spec.volumes") ≡ [["configMap": ["name": "files"], "name": "configmap-files"]])
    #expect(FlowChart.container(out["Deployment/idx-0"])?.at("envFrom.1.configMapRef.name") == "common")
    #expect(try FlowChart.render(Self.values())["ConfigMap/common"] == nil)
    #expect(FlowChart.failure(Self.values("configMaps:\n  bad: {dat: {}}")).contains("configMaps.bad"))
  }

  @Test func secretsFromValuesAndReferencesToExistingOnes() throws {
    let values = Self.values(
      "secrets:\n  db: {stringData: {password: s3cret}}", own: "secrets: [db, existing]\nenv_from_secret: {PW: {name: db, key: password}}")
    let out = try FlowChart.render(values)
    #expect(out["Secret/db"]?["stringData"] ≡ ["password": "s3cret"])
    let enc = FlowChart.container(out["Deployment/enc"])
    #expect(enc?.at("envFrom.1") ≡ ["secretRef": ["name": "db"]])
    #expect(enc?.at("envFrom.2") ≡ ["secretRef": ["name": "existing"]])
    #expect(enc?["env"]?.listValue?.last ≡ ["name": "PW", "valueFrom": ["secretKeyRef": ["name": "db", "key": "password"]]])
    // The store encrypts what the schema marks secret.
    let chart = try FlowChart.chart.get()
    let file = try ValuesFile.read(name: "v.yaml", bytes: Array(values.utf8))
    let rendered = try chart.render(RenderRequest(release: ReleaseInfo(name: "f", namespace: "f"), values: try UserValues(files: [file])))
    #expect(rendered.secretPaths.map(\.description) == ["secrets.db.stringData"])
    #expect(try FlowChart.render(Self.values())["Secret/db"] == nil)
    let defaults = try FlowChart.render(Self.values("defaults:\n  secrets: [shared]", own: "secrets: [own]"))
    #expect(FlowChart.container(defaults["Deployment/idx-0"])?.at("envFrom.1") ≡ ["secretRef": ["name": "shared"]])
    #expect(FlowChart.container(defaults["Deployment/enc"])?["envFrom"] ≡ [
      ["configMapRef": ["name": "enc-configmap"]], ["secretRef": ["name": "own"]],
    ], "an Executor's own list replaces the default")
    #expect(FlowChart.failure(Self.values("secrets:\n  db: {data: {password: x}}")).contains("secrets.db"))
    #expect(FlowChart.failure(Self.values(own: "env_from_secret: {PW: {name: db}}")).contains("key"))
  }

  @Test func theNamespaceObject() throws {
    let out = try FlowChart.render(Self.values("namespace: {create: true, labels: {env: prod}}"), namespace: "search")
    #expect(out["Namespace/search"]?.at("metadata.labels.env") == "prod")
    #expect(out.objects.first?.key == "Namespace/search", "installed first")
    #expect(try FlowChart.render(Self.values()).names(of: "Namespace").isEmpty)
    #expect(FlowChart.failure(Self.values("namespace: {create: yes please}")).contains("namespace.create"))
  }

  @Test(arguments: ["ClusterIP", "NodePort", "LoadBalancer"])
  func gatewayServiceType(type: String) throws {
    let nodePort = type == "ClusterIP" ? "" : ", nodePort: 30080"
    let out = try FlowChart.render(Self.values("gateway:\n  service: {type: \(type)\(nodePort), annotations: {lb: internal}}"))
    #expect(out["Service/gateway"]?.at("spec.type") == .string(type))
    #expect(out["Service/gateway"]?.at("metadata.annotations.lb") == "internal")
    #expect(out["Service/gateway"]?.at("spec.ports.0.nodePort") == (type == "ClusterIP" ? nil : 30080))
    #expect(out["Service/enc"]?.at("spec.type") == "ClusterIP", "Executors stay internal")
  }

  @Test func gatewayServiceIsClusterIPByDefault() throws {
    let out = try FlowChart.render(Self.values())
    #expect(out["Service/gateway"]?.at("spec.type") == "ClusterIP")
    #expect(out["Service/gateway"]?.at("metadata.annotations") == nil)
    #expect(out["Service/gateway"]?.at("spec.ports.0.nodePort") == nil)
  }

  @Test func gatewayServiceTypeBad() {
    #expect(FlowChart.failure(Self.values("gateway:\n  service: {type: External}")).contains("gateway.service.type"))
    #expect(FlowChart.failure(Self.values("gateway:\n  service: {nodePort: 30080}")).contains("values.yaml:9:23: gateway.service.nodePort: needs gateway.service.type NodePort or LoadBalancer"))
  }

  @Test func gatewayIngress() throws {
    let out = try FlowChart.render(Self.values(
      "gateway:\n  ingress: {className: nginx, host: flow.example.com, tls: [{hosts: [flow.example.com], secretName: tls}]}"))
    let ingress = out["Ingress/gateway"]
    #expect(ingress?.at("spec.ingressClassName") == "nginx")
    #expect(ingress?.at("spec.rules.0") ≡ [
      "host": "flow.example.com",
      "http": ["paths": [["path": "/", "pathType": "Prefix", "backend": ["service": ["name": "gateway", "port": ["number": 8080]]]]]],
    ])
    #expect(ingress?.at("spec.tls.0.secretName") == "tls")
    #expect(try FlowChart.render(Self.values()).names(of: "Ingress").isEmpty)
    #expect(try FlowChart.render(Self.values("gateway:\n  ingress: {enabled: false, host: x}")).names(of: "Ingress").isEmpty)
    #expect(FlowChart.failure(Self.values("gateway:\n  ingress: {hots: x}")).contains("gateway.ingress"))
  }

  @Test func gatewayReplicasAndImage() throws {
    let out = try FlowChart.render(Self.values("gateway:\n  replicas: 3\n  image: registry.example.com/jina:3.34.0"))
    #expect(out["Deployment/gateway"]?.at("spec.replicas") == 3)
    #expect(FlowChart.container(out["Deployment/gateway"])?["image"] == "registry.example.com/jina:3.34.0")
    #expect(FlowChart.container(out["Deployment/gateway"])?["args"]?.listValue?.contains("--replicas") == true)
    #expect(FlowChart.container(out["Deployment/idx-head"])?["image"] == "jinaai/jina:3.34.0-py39-standard", "heads keep the Jina image")
    let custom = try FlowChart.render(Self.values("gateway:\n  uses: docker://my/gateway:1"))
    #expect(FlowChart.container(custom["Deployment/gateway"])?["image"] == "my/gateway:1")
    let plain = try FlowChart.render(Self.values())
    #expect(plain["Deployment/gateway"]?.at("spec.replicas") == 1)
    #expect(FlowChart.container(plain["Deployment/gateway"])?["image"] == "jinaai/jina:3.34.0-py39-standard")
    #expect(FlowChart.failure(Self.values("gateway:\n  replicas: 0")).contains("gateway.replicas"))
  }

  @Test func podDisruptionBudgets() throws {
    let out = try FlowChart.render(Self.values("defaults:\n  podDisruptionBudget: {maxUnavailable: 1}", own: "podDisruptionBudget: {minAvailable: 1}"))
    #expect(out.names(of: "PodDisruptionBudget") == ["enc", "gateway", "idx-0", "idx-1", "idx-head"].sorted())
    #expect(out["PodDisruptionBudget/enc"]?["spec"] ≡ ["minAvailable": 1, "selector": ["matchLabels": ["app": "enc"]]])
    #expect(out["PodDisruptionBudget/idx-0"]?.at("spec.maxUnavailable") == 1)
    #expect(try FlowChart.render(Self.values()).names(of: "PodDisruptionBudget").isEmpty)
    #expect(FlowChart.failure(Self.values("defaults:\n  podDisruptionBudget: {minAvailable: 1, maxUnavailable: 1}")).contains("podDisruptionBudget"))
  }

  @Test func autoscalingForStatelessExecutors() throws {
    let out = try FlowChart.render(Self.values(own: "replicas: 2\nautoscaling: {maxReplicas: 5, targetMemoryUtilizationPercentage: 70}"))
    let hpa = out["HorizontalPodAutoscaler/enc"]
    #expect(hpa?.at("spec.scaleTargetRef") ≡ ["apiVersion": "apps/v1", "kind": "Deployment", "name": "enc"])
    #expect(hpa?.at("spec.minReplicas") == 2)
    #expect(hpa?.at("spec.maxReplicas") == 5)
    #expect(hpa?.at("spec.metrics.0.resource.target.averageUtilization") == 80)
    #expect(hpa?.at("spec.metrics.1.resource.name") == "memory")
    #expect(out["Deployment/enc"]?.at("spec.replicas") == nil, "the autoscaler owns the replica count")
    #expect(out.names(of: "HorizontalPodAutoscaler") == ["enc"])
    let message = FlowChart.failure(Self.values(own: "autoscaling: {maxReplicas: 5}\nvolumes: [/data]"))
    #expect(message.contains("only stateless Executors support replicas > 1"))
    #expect(FlowChart.failure(Self.values(own: "autoscaling: {minReplicas: 1}")).contains("maxReplicas"))
  }

  @Test func schedulingSecurityAndServiceAccount() throws {
    let out = try FlowChart.render(Self.values(
      """
      serviceAccount: {create: true, name: flow}
      defaults:
        nodeSelector: {pool: cpu}
        tolerations: [{key: k, operator: Exists}]
        affinity: {nodeAffinity: {}}
        podSecurityContext: {runAsNonRoot: true}
        securityContext: {readOnlyRootFilesystem: true}
        serviceAccountName: flow
      """, own: "nodeSelector: {gpu: \"yes\"}\ntolerations: []\nsecurityContext: {privileged: false}"))
    #expect(out["ServiceAccount/flow"] != nil)
    let idx = FlowChart.pod(out["Deployment/idx-0"])?["spec"]
    #expect(idx?["nodeSelector"] ≡ ["pool": "cpu"])
    #expect(idx?["tolerations"] ≡ [["key": "k", "operator": "Exists"]])
    #expect(idx?["affinity"] ≡ ["nodeAffinity": [:]])
    #expect(idx?["securityContext"] ≡ ["runAsNonRoot": true])
    #expect(idx?["serviceAccountName"] == "flow")
    #expect(FlowChart.container(out["Deployment/idx-0"])?["securityContext"] ≡ ["readOnlyRootFilesystem": true])
    let enc = FlowChart.pod(out["Deployment/enc"])?["spec"]
    #expect(enc?["nodeSelector"] ≡ ["gpu": "yes", "pool": "cpu"], "node selectors merge")
    #expect(enc?["tolerations"] == nil, "an empty list overrides the default")
    #expect(FlowChart.container(out["Deployment/enc"])?["securityContext"] ≡ ["privileged": false])
    let plain = try FlowChart.render(Self.values())
    #expect(FlowChart.pod(plain["Deployment/enc"])?.at("spec.nodeSelector") == nil)
    #expect(plain.names(of: "ServiceAccount").isEmpty)
    #expect(FlowChart.failure(Self.values("serviceAccount: {create: true}")).contains("serviceAccount.name"))
    #expect(FlowChart.failure(Self.values("defaults:\n  tolerations: {a: b}")).contains("defaults.tolerations"))
  }

  @Test func imagePullSecretsJoinJinasOwn() throws {
    let out = try FlowChart.render(Self.values("defaults:\n  imagePullSecrets: [regcred]", own: "image_pull_secrets: [hub]"))
    #expect(FlowChart.pod(out["Deployment/enc"])?.at("spec.imagePullSecrets") ≡ [["name": "hub"], ["name": "regcred"]])
    #expect(FlowChart.pod(out["Deployment/gateway"])?.at("spec.imagePullSecrets") ≡ [["name": "regcred"]])
    let own = try FlowChart.render(Self.values("defaults:\n  imagePullSecrets: [regcred]", own: "imagePullSecrets: [private]"))
    #expect(FlowChart.pod(own["Deployment/enc"])?.at("spec.imagePullSecrets") ≡ [["name": "private"]])
    #expect(FlowChart.pod(own["Deployment/idx-0"])?.at("spec.imagePullSecrets") ≡ [["name": "regcred"]])
    #expect(FlowChart.pod(try FlowChart.render(Self.values())["Deployment/enc"])?.at("spec.imagePullSecrets") == nil)
    #expect(FlowChart.failure(Self.values("defaults:\n  imagePullSecrets: regcred")).contains("imagePullSecrets"))
  }

  @Test func initContainerWithASharedVolumeAsTheSeedWritesIt() throws {
    let out = try FlowChart.render(Self.values(
      own: "k8s_uses_init: docker://jinaaitmp/postgresdump:1\nk8s_init_container_command: [python, dump.py, /shared/test_file.txt]\nk8s_mount_path: /shared"))
    let pod = FlowChart.pod(out["Deployment/enc"])?["spec"]
    #expect(pod?["initContainers"] ≡ [[
      "name": "init", "image": "jinaaitmp/postgresdump:1", "imagePullPolicy": "IfNotPresent",
      "command": ["python", "dump.py", "/shared/test_file.txt"], "volumeMounts": [["name": "enc-init", "mountPath": "/shared"]],
    ]])
    #expect(pod?["volumes"] ≡ [["emptyDir": [:], "name": "enc-init"]])
    #expect(FlowChart.container(out["Deployment/enc"])?["volumeMounts"] ≡ [["mountPath": "/shared", "name": "enc-init"]])
    #expect(FlowChart.pod(out["Deployment/idx-0"])?.at("spec.initContainers") == nil)
    #expect(FlowChart.failure(Self.values(own: "k8s_uses_init: dump.py")).contains("k8s_uses_init"))
  }

  @Test func jobsAndCronJobs() throws {
    let out = try FlowChart.render(Self.values(
      """
      defaults:
        nodeSelector: {pool: batch}
      jobs:
        - name: reindex
          uses: docker://reindex:1
          schedule: "0 3 * * *"
          command: [python, reindex.py]
          env_from_secret: {PW: {name: db, key: password}}
        - name: migrate
          image: postgres:16
          args: [psql]
          backoffLimit: 2
          secrets: [db, {name: ca, mountPath: /etc/ca}]
      """))
    let cron = out["CronJob/reindex"]
    #expect(cron?.at("spec.schedule") == "0 3 * * *")
    #expect(cron?.at("spec.concurrencyPolicy") == "Forbid")
    let cronPod = cron?.at("spec.jobTemplate.spec.template.spec")
    #expect(cronPod?["nodeSelector"] ≡ ["pool": "batch"])
    #expect(cronPod?.at("containers.0.image") == "reindex:1")
    #expect(cronPod?.at("containers.0.command") ≡ ["python", "reindex.py"])
    #expect(cronPod?.at("containers.0.env.0.valueFrom.secretKeyRef.name") == "db")
    let job = out["Job/migrate"]
    #expect(job?.at("spec.backoffLimit") == 2)
    #expect(job?.at("spec.template.spec.restartPolicy") == "OnFailure")
    #expect(job?.at("spec.template.spec.containers.0.args") == ["psql"])
    #expect(job?.at("spec.template.spec.containers.0.envFrom") ≡ [["secretRef": ["name": "db"]]])
    #expect(job?.at("spec.template.spec.containers.0.volumeMounts") ≡ [["name": "secret-ca", "mountPath": "/etc/ca", "readOnly": true]])
    #expect(job?.at("spec.template.spec.volumes") ≡ [["name": "secret-ca", "secret": ["secretName": "ca"]]])
    #expect(try FlowChart.render(Self.values()).names(of: "Job").isEmpty)
    #expect(FlowChart.failure(Self.values("jobs:\n  - name: x")).contains("needs uses"))
    #expect(FlowChart.failure(Self.values("jobs:\n  - name: x\n    image: a\n    schedul: x")).contains("did you mean \"schedule\""))
  }
}
