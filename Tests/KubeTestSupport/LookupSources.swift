import FlowrelManifest
import FlowrelValue

/// The objects a cluster holds for the lookups: ConfigMap `source` (color blue) and Deployment
/// `web` (3 replicas) in `namespace`, and the Namespace itself.
package func lookupSources(namespace: String) throws -> [Manifest] {
  try [
    Manifest(content: [
      "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "source", "namespace": .string(namespace)],
      "data": ["color": "blue"],
    ]),
    Manifest(content: [
      "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "namespace": .string(namespace)],
      "spec": [
        "replicas": 3, "selector": ["matchLabels": ["app": "web"]],
        "template": ["metadata": ["labels": ["app": "web"]], "spec": ["containers": [["name": "web", "image": "nginx:1.27"]]]],
      ],
    ]),
  ]
}
