import FlowrelManifest
import FlowrelStore
import FlowrelValue
import Foundation

/// Releases to record in the store's tests, stress writer and benchmark: one builder, so they
/// all exercise the same shapes.
package enum Fixtures {
  /// A revision of `release` with a gateway Deployment and Service, `executors` executor
  /// Deployments (replicas from `values.replicas`), a ConfigMap (with `values.setting`, which
  /// nothing else uses), and, when `password` is
  /// given, a Secret holding it (base64 in `data`, clear in `stringData`), referenced from
  /// `values.db.password`.
  package static func revision(
    release: String, namespace: String = "default", action: ReleaseAction = .install, status: ReleaseStatus = .deployed,
    replicas: Int64 = 1, executors: Int = 2, setting: String = "a", password: String? = nil, secretPaths: [ValuePath] = [],
    notes: String? = nil
  ) -> NewRevision {
    var values: Value = ["replicas": .int(replicas), "image": "jina/executor:3.20", "setting": .string(setting)]
    var manifests: [Manifest] = []
    func add(_ content: Value) {
      // The fixtures are built right here, always with apiVersion, kind and metadata.name.
      if let manifest = try? Manifest(content: content) { manifests.append(manifest) }
    }
    add(deployment("gateway", namespace: namespace, replicas: 1))
    add([
      "apiVersion": "v1", "kind": "Service",
      "metadata": ["name": "gateway", "namespace": .string(namespace)],
      "spec": ["ports": [["port": 8080]], "selector": ["app": "gateway"]],
    ])
    for index in 0..<executors { add(deployment("executor\(index)", namespace: namespace, replicas: replicas)) }
    add([
      "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "flow-config", "namespace": .string(namespace)],
      "data": ["replicas": .string(String(replicas)), "setting": .string(setting)],
    ])
    if let password {
      values = ["replicas": .int(replicas), "image": "jina/executor:3.20", "setting": .string(setting),
                "db": ["password": .string(password)]]
      add([
        "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "db", "namespace": .string(namespace)],
        "type": "Opaque",
        "data": ["password": .string(Data(password.utf8).base64EncodedString())],
        "stringData": ["url": .string("postgres://app:\(password)@db:5432/app")],
      ])
    }
    return NewRevision(
      release: release, namespace: namespace, action: action, status: status,
      chart: ChartReference(name: "flow", version: "1.2.0", appVersion: "3.20.0"), values: values, manifests: manifests,
      notes: notes, description: "\(action.rawValue.capitalized) complete", secretValuePaths: secretPaths)
  }

  /// A Deployment with a container that reads its token from an existing Secret (a reference,
  /// which needs no key).
  package static func deployment(_ name: String, namespace: String, replicas: Int64) -> Value {
    [
      "apiVersion": "apps/v1", "kind": "Deployment",
      "metadata": ["name": .string(name), "namespace": .string(namespace), "labels": ["app": .string(name)]],
      "spec": [
        "replicas": .int(replicas),
        "selector": ["matchLabels": ["app": .string(name)]],
        "template": [
          "metadata": ["labels": ["app": .string(name)]],
          "spec": [
            "containers": [[
              "name": .string(name), "image": "jina/executor:3.20",
              "env": [["name": "TOKEN", "valueFrom": ["secretKeyRef": ["name": "existing-token", "key": "token"]]]],
            ]]
          ],
        ],
      ],
    ]
  }
}
