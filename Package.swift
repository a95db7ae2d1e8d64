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

    // The command-line tool: parses flags, prints, sets exit codes; no logic.
    .executableTarget(
      name: "flowrel",
      dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")]),

    // Go's text/template: lexer, parser, executor, Go builtins and Go's fmt formatting.
    .target(
      name: "GoTemplate",
      dependencies: ["FlowrelValue", .product(name: "OrderedCollections", package: "swift-collections")]),

    // Parse + execute speed of a chart-like template set (bash Benchmarks/template.sh).
    .executableTarget(
      name: "TemplateBenchmark", dependencies: ["GoTemplate", "FlowrelValue"],
      path: "Benchmarks/TemplateBenchmark"),

    // Helm's and Sprig's template functions (include, tpl, toYaml, dict, semverCompare, ...).
    .target(
      name: "HelmFunctions",
      dependencies: [
        "GoTemplate", "FlowrelValue", "FlowrelSemVer",
        .product(name: "OrderedCollections", package: "swift-collections"),
        .product(name: "Crypto", package: "swift-crypto"),
      ]),

    .testTarget(name: "FlowrelValueTests", dependencies: ["FlowrelValue"]),
    .testTarget(
      name: "GoTemplateTests",
      dependencies: ["GoTemplate", "FlowrelValue", .product(name: "OrderedCollections", package: "swift-collections")]),
    .testTarget(name: "FlowrelArchiveTests", dependencies: ["FlowrelArchive"]),
    .testTarget(name: "FlowrelSemVerTests", dependencies: ["FlowrelSemVer"]),
    .testTarget(
      name: "HelmFunctionsTests",
      dependencies: [
        "HelmFunctions", "GoTemplate", "FlowrelValue", .product(name: "OrderedCollections", package: "swift-collections"),
      ]),
  ]
)
