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
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
  ],
  targets: [
    // C libraries, bound through thin system-library targets.
    .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
    .systemLibrary(name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
    .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

    // The data model shared by YAML, templates and values.
    .target(
      name: "FlowrelValue",
      dependencies: [.product(name: "OrderedCollections", package: "swift-collections")]),

    // Semantic versions and Helm's version constraints (Chart.yaml, kubeVersion, semverCompare).
    .target(name: "FlowrelSemVer"),

    // Reading chart archives (.tgz): gzip through zlib, then tar.
    .target(name: "FlowrelArchive", dependencies: ["CZlib"]),
    // A thin libgit2 wrapper: repositories, objects, refs, log, diff, working tree, push.
    .target(name: "FlowrelGit", dependencies: ["CGit2"]),

    // libyaml: parse with positions, go-yaml-style emit, multi-document streams.
    .target(
      name: "FlowrelYAML",
      dependencies: ["CYAML", "FlowrelValue", .product(name: "OrderedCollections", package: "swift-collections")]),

    // Kubernetes objects: identity, install order, canonical YAML.
    .target(
      name: "FlowrelManifest",
      dependencies: ["FlowrelValue", "FlowrelYAML", .product(name: "OrderedCollections", package: "swift-collections")]),

    // The release store: revisions as commits in a git repository (and an in-memory store).
    .target(
      name: "FlowrelStore",
      dependencies: [
        "FlowrelGit", "FlowrelManifest", "FlowrelYAML", "FlowrelValue",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "OrderedCollections", package: "swift-collections"),
      ]),

    // The cluster through kubectl: apply, delete, wait, read, diff.
    .target(name: "FlowrelKube", dependencies: ["FlowrelManifest", "FlowrelValue"]),

    // The command-line tool: parses flags, prints, sets exit codes; no logic.
    .executableTarget(
      name: "flowrel",
      dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")]),

    .testTarget(name: "FlowrelValueTests", dependencies: ["FlowrelValue"]),
    .testTarget(name: "FlowrelArchiveTests", dependencies: ["FlowrelArchive"]),
    .testTarget(name: "FlowrelSemVerTests", dependencies: ["FlowrelSemVer"]),
    .testTarget(name: "FlowrelGitTests", dependencies: ["FlowrelGit"]),

    .testTarget(
      name: "FlowrelYAMLTests",
      dependencies: ["FlowrelYAML", .product(name: "OrderedCollections", package: "swift-collections")]),

    .testTarget(
      name: "FlowrelStoreTests",
      dependencies: ["FlowrelStore", "FlowrelGit", "FlowrelManifest", "FlowrelValue", "StoreFixtures", "StoreStressWriter"]),
    // Releases for the store's tests, stress writer and benchmark.
    .target(
      name: "StoreFixtures", dependencies: ["FlowrelStore", "FlowrelManifest", "FlowrelValue"], path: "Tests/StoreFixtures"),
    // The writer process that the store's crash and concurrency tests start and kill.
    .executableTarget(
      name: "StoreStressWriter", dependencies: ["FlowrelStore", "StoreFixtures"], path: "Tests/StoreStressWriter"),

    // Benchmarks (run through Benchmarks/*.sh, release builds).
    .executableTarget(name: "YAMLBenchmark", dependencies: ["FlowrelYAML"], path: "Benchmarks/YAMLBenchmark"),
    .executableTarget(
      name: "StoreBenchmark",
      dependencies: ["FlowrelStore", "FlowrelGit", "FlowrelManifest", "FlowrelValue", "StoreFixtures"],
      path: "Benchmarks/StoreBenchmark"),

    .testTarget(name: "FlowrelManifestTests", dependencies: ["FlowrelManifest", "FlowrelValue"]),
    // The end-to-end tests start Tests/KubeAPIServer/kube_api_server.py (outside this target).
    .testTarget(name: "FlowrelKubeTests", dependencies: ["FlowrelKube", "FlowrelManifest", "FlowrelValue"]),
  ]
)
