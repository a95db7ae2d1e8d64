// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "flowrel",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "flowrel", targets: ["flowrel"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
  ],
  targets: [
    // C libraries, bound through thin system-library targets.
    .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
    .systemLibrary(name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),

    // The data model shared by YAML, templates and values.
    .target(
      name: "FlowrelValue",
      dependencies: [.product(name: "OrderedCollections", package: "swift-collections")]),

    // Kubernetes objects: identity, install order.
    .target(name: "FlowrelManifest", dependencies: ["FlowrelValue"]),

    // The cluster through kubectl: apply, delete, wait, read, diff.
    .target(name: "FlowrelKube", dependencies: ["FlowrelManifest", "FlowrelValue"]),

    // The command-line tool: parses flags, prints, sets exit codes; no logic.
    .executableTarget(
      name: "flowrel",
      dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")]),

    .testTarget(name: "FlowrelValueTests", dependencies: ["FlowrelValue"]),
    .testTarget(name: "FlowrelManifestTests", dependencies: ["FlowrelManifest", "FlowrelValue"]),
    // The end-to-end tests start Tests/KubeAPIServer/kube_api_server.py (outside this target).
    .testTarget(name: "FlowrelKubeTests", dependencies: ["FlowrelKube", "FlowrelManifest", "FlowrelValue"]),
  ]
)
