// swift-tools-version:6.0
import PackageDescription

let collections = Target.Dependency.product(name: "OrderedCollections", package: "swift-collections")

let package = Package(
  name: "flowrel",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "flowrel", targets: ["flowrel"]),
    // The fuzz targets, for the libFuzzer package in Fuzz/ (which depends on this one by path).
    .library(name: "FlowrelFuzzTargets", targets: ["FlowrelFuzzTargets"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
    .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
    .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
    .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    .package(url: "https://github.com/attaswift/BigInt", from: "6.0.1"),
    .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
  ],
  targets: [
    // C libraries, bound through thin system-library targets.
    .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
    .systemLibrary(name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
    .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

    // Independent work spread over all processors, with results and errors in order.
    .target(name: "FlowrelParallel"),
    // The data model shared by YAML, templates and values.
    .target(name: "FlowrelValue", dependencies: [collections]),
    // libyaml: parse with positions, go-yaml-style emit, multi-document streams.
    .target(name: "FlowrelYAML", dependencies: ["CYAML", "FlowrelValue", collections]),
    // Semantic versions and Helm's version constraints (Chart.yaml, kubeVersion, semverCompare).
    .target(name: "FlowrelSemVer"),
    // Reading chart archives (.tgz): gzip through zlib, then tar.
    .target(name: "FlowrelArchive", dependencies: ["CZlib"]),
    // Go's regular expressions (RE2 syntax and leftmost-first matching) in linear time.
    .target(name: "GoRegex", exclude: ["generate_unicode_tables.py"]),
    // Go's text/template: lexer, parser, executor, Go builtins and Go's fmt formatting.
    .target(name: "GoTemplate", dependencies: ["FlowrelValue", collections]),
    // go-yaml's emitter (v2 through JSON as Helm's toYaml, v3 with any indent as toYamlPretty and sops).
    .target(name: "GoYAMLWriter", dependencies: ["FlowrelValue", collections]),
    // Helm's and Sprig's template functions (include, tpl, toYaml, dict, semverCompare, ...).
    .target(
      name: "HelmFunctions",
      dependencies: [
        "GoTemplate", "GoRegex", "GoYAMLWriter", "FlowrelValue", "FlowrelSemVer", collections,
        .product(name: "Crypto", package: "swift-crypto"),
        // Sprig's certificate, key and TOML functions.
        .product(name: "_CryptoExtras", package: "swift-crypto"), .product(name: "X509", package: "swift-certificates"),
        .product(name: "SwiftASN1", package: "swift-asn1"), .product(name: "BigInt", package: "BigInt"),
        .product(name: "TOMLKit", package: "TOMLKit"),
      ],
      exclude: ["Crypto/generate_blowfish_tables.py"]),
    // The charts of templates/, compiled into the binary.
    .target(name: "FlowrelBuiltinCharts"),
    // Charts: loading, values, rendering into manifests.
    .target(
      name: "FlowrelChart",
      dependencies: [
        "FlowrelValue", "FlowrelYAML", "FlowrelSemVer", "FlowrelArchive", "GoTemplate", "GoRegex", "HelmFunctions",
        "FlowrelBuiltinCharts", "FlowrelManifest", "FlowrelParallel", collections,
        .product(name: "Crypto", package: "swift-crypto"),
      ]),
    // Kubernetes objects: identity, install order, canonical YAML, file names.
    .target(name: "FlowrelManifest", dependencies: ["FlowrelValue", "FlowrelYAML", collections]),
    // kubectl: check, server-side apply, prune by identity, wait, drift.
    .target(
      name: "FlowrelKube",
      dependencies: [
        "FlowrelManifest", "FlowrelValue", "FlowrelYAML", .product(name: "Subprocess", package: "swift-subprocess"),
        // FilePath, which swift-subprocess takes for the program to run.
        .product(name: "SystemPackage", package: "swift-system"), .product(name: "Logging", package: "swift-log"),
      ]),
    // libgit2: repositories, objects, refs, log, diff, working tree, push.
    .target(name: "FlowrelGit", dependencies: ["CGit2"]),
    // The release store: revisions as commits in a git repository (and an in-memory store).
    .target(
      name: "FlowrelStore",
      dependencies: [
        "FlowrelGit", "FlowrelManifest", "FlowrelYAML", "FlowrelValue", "FlowrelAge", "FlowrelSOPS", "FlowrelParallel", "GoRegex", collections,
        .product(name: "Crypto", package: "swift-crypto"),
      ]),

    // age v1 files for X25519 recipients: keys, encryption, armor (what SOPS files wrap their data key in).
    .target(name: "FlowrelAge", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
    // SOPS-encrypted YAML documents (the format Flux and Argo CD's KSOPS decrypt), keyed with age.
    .target(
      name: "FlowrelSOPS",
      dependencies: [
        "FlowrelAge", "FlowrelValue", "FlowrelYAML", "GoYAMLWriter", "GoRegex", collections,
        .product(name: "Crypto", package: "swift-crypto"),
      ]),

    // The verbs: template, lint, install, upgrade, rollback, ... (one struct per verb).
    .target(
      name: "FlowrelActions",
      dependencies: [
        "FlowrelChart", "FlowrelManifest", "FlowrelStore", "FlowrelKube", "FlowrelValue", "FlowrelYAML", "FlowrelSemVer", "GoRegex",
        "FlowrelAge", collections, .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log"),
      ]),

    // The command-line tool: parses flags, builds the configuration, runs one action, prints.
    .executableTarget(
      name: "flowrel",
      dependencies: ["FlowrelActions", .product(name: "ArgumentParser", package: "swift-argument-parser")]),

    // Benchmarks (run through Benchmarks/*.sh, release builds).
    .executableTarget(name: "YAMLBenchmark", dependencies: ["FlowrelYAML"], path: "Benchmarks/YAMLBenchmark"),
    .executableTarget(
      name: "TemplateBenchmark", dependencies: ["GoTemplate", "FlowrelValue"], path: "Benchmarks/TemplateBenchmark"),
    .executableTarget(
      name: "FlowChartBenchmark", dependencies: ["FlowrelChart", "FlowrelManifest"], path: "Benchmarks/FlowChartBenchmark"),


    .executableTarget(
      name: "StoreBenchmark",
      dependencies: ["FlowrelStore", "FlowrelGit", "FlowrelManifest", "FlowrelValue", "StoreFixtures"],
      path: "Benchmarks/StoreBenchmark"),
    .executableTarget(
      name: "LifecycleBenchmark",
      dependencies: ["FlowrelActions", "FlowrelChart", "FlowrelKube", "FlowrelManifest", "FlowrelStore", "FlowrelValue", "KubeTestSupport"],
      path: "Benchmarks/LifecycleBenchmark"),

    .testTarget(name: "FlowrelParallelTests", dependencies: ["FlowrelParallel"]),
    .testTarget(name: "FlowrelValueTests", dependencies: ["FlowrelValue", "ExternalProcess"]),
    .testTarget(name: "FlowrelYAMLTests", dependencies: ["FlowrelYAML", collections], exclude: ["PyYAML"]),
    .testTarget(name: "FlowrelSemVerTests", dependencies: ["FlowrelSemVer"]),
    .testTarget(name: "FlowrelArchiveTests", dependencies: ["FlowrelArchive"]),
    .testTarget(name: "GoTemplateTests", dependencies: ["GoTemplate", "FlowrelValue", "ExternalProcess", "GoReferenceData", collections]),
    .testTarget(name: "GoRegexTests", dependencies: ["GoRegex", "ExternalProcess"]),
    .testTarget(
      name: "HelmFunctionsTests",
      dependencies: ["HelmFunctions", "GoTemplate", "GoYAMLWriter", "FlowrelValue", "ExternalProcess", "GoReferenceData", collections]),
    .testTarget(name: "FlowrelBuiltinChartsTests", dependencies: ["FlowrelBuiltinCharts"]),
    .testTarget(name: "FlowrelChartTests", dependencies: ["FlowrelChart"]),
    // The built-in flow chart (templates/flow) against Jina's own export and every value.
    .testTarget(
      name: "FlowChartTests", dependencies: ["FlowrelChart", "FlowrelYAML", "FlowrelValue", "FlowrelManifest", collections],
      exclude: ["JinaExport"]),
    .testTarget(name: "FlowrelGitTests", dependencies: ["FlowrelGit"]),
    .testTarget(
      name: "FlowrelStoreTests",
      dependencies: [
        "FlowrelStore", "FlowrelGit", "FlowrelManifest", "FlowrelValue", "FlowrelYAML", "FlowrelAge", "FlowrelSOPS", "StoreFixtures",
        "StoreStressWriter", .product(name: "Crypto", package: "swift-crypto"),
      ]),
    // Releases for the store's tests, stress writer and benchmark.
    .target(
      name: "StoreFixtures", dependencies: ["FlowrelStore", "FlowrelManifest", "FlowrelValue"], path: "Tests/StoreFixtures"),
    // The writer process that the store's crash and concurrency tests start and kill.
    .executableTarget(
      name: "StoreStressWriter", dependencies: ["FlowrelStore", "FlowrelAge", "StoreFixtures"], path: "Tests/StoreStressWriter"),
    // Runs the built flowrel executable as a user would.
    .testTarget(
      name: "flowrelTests", dependencies: ["flowrel", "FlowrelValue", "FlowrelYAML", "KubeTestSupport"], exclude: ["Golden"]),
    .testTarget(name: "FlowrelAgeTests", dependencies: ["FlowrelAge", "ExternalProcess"]),
    .testTarget(
      name: "FlowrelSOPSTests",
      dependencies: [
        "FlowrelSOPS", "FlowrelAge", "FlowrelValue", "FlowrelYAML", "ExternalProcess", collections,
        .product(name: "Crypto", package: "swift-crypto"),
      ]),
    .testTarget(name: "FlowrelManifestTests", dependencies: ["FlowrelManifest", "FlowrelValue"]),
    // Runs the reference programs (Go, age, sops) the tests compare flowrel with.
    .target(name: "ExternalProcess", path: "Tests/ExternalProcess"),
    // The differential tests' data as the Go reference programs decode it (integers Go ints).
    .target(name: "GoReferenceData", dependencies: ["GoTemplate", "FlowrelValue"], path: "Tests/GoReferenceData"),
    // Starts and stops Tests/KubeAPIServer/kube_api_server.py, the Kubernetes API test server;
    // FakeKubeClient, a KubeClient that records its calls.
    .target(
      name: "KubeTestSupport", dependencies: ["FlowrelKube", "FlowrelManifest", "FlowrelValue"], path: "Tests/KubeTestSupport"),
    .testTarget(
      name: "FlowrelKubeTests",
      dependencies: [
        "FlowrelKube", "FlowrelManifest", "FlowrelValue", "KubeTestSupport", .product(name: "Logging", package: "swift-log"),
      ]),
    .testTarget(
      name: "FlowrelActionsTests",
      dependencies: [
        "FlowrelActions", "FlowrelChart", "FlowrelStore", "FlowrelKube", "FlowrelManifest", "FlowrelValue", "FlowrelAge",
        "KubeTestSupport",
      ]),
    // Every input parser driven from bytes: the libFuzzer targets (Fuzz/) and the replay tests call it.
    .target(
      name: "FlowrelFuzzTargets",
      dependencies: [
        "FlowrelAge", "FlowrelArchive", "FlowrelChart", "FlowrelManifest", "FlowrelSOPS", "FlowrelStore", "FlowrelValue", "FlowrelYAML",
        "GoRegex", "GoYAMLWriter",
      ],
      path: "Fuzz/Targets"),
    // Replays the committed fuzz corpus (Fuzz/Corpus) and every input that ever failed.
    .testTarget(name: "FuzzReplayTests", dependencies: ["FlowrelFuzzTargets"]),
  ]
)
