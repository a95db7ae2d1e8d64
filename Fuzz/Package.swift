// swift-tools-version:6.0
import PackageDescription

// The libFuzzer build of flowrel's fuzz targets, kept out of the main package so that a plain
// `swift build` or `swift test` never needs the fuzzer runtime. Build and run as FUZZING.md says:
//   swift build -c release --sanitize=fuzzer
//   FLOWREL_FUZZ_TARGET=yaml .build/release/flowrel-fuzz Corpus/yaml ...
let package = Package(
  name: "flowrel-fuzz",
  dependencies: [.package(name: "flowrel", path: "..")],
  targets: [
    // One fuzzer for every target (picked by FLOWREL_FUZZ_TARGET): one build and one link.
    .executableTarget(
      name: "flowrel-fuzz", dependencies: [.product(name: "FlowrelFuzzTargets", package: "flowrel")], path: "Driver")
  ]
)
