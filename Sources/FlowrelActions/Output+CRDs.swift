import FlowrelChart

extension Output {
  /// A chart's CRD files as `template --include-crds` prints them before the objects, in
  /// Helm's form: `---`, `# Source: NAME`, the file as it is (never templated) and a newline.
  package static func crdStream(_ crds: [ChartCRDFile]) -> String {
    crds.map { documentHeader(source: $0.name) + String(decoding: $0.contents, as: UTF8.self) + "\n" }.joined()
  }
}
