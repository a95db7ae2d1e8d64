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

    .testTarget(name: "FlowrelValueTests", dependencies: ["FlowrelValue"]),
    .testTarget(
      name: "GoTemplateTests",
      dependencies: ["GoTemplate", "FlowrelValue", .product(name: "OrderedCollections", package: "swift-collections")]),
  ]
)
