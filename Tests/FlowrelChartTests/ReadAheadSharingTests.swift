import FlowrelValue
import Testing
@testable import FlowrelChart

/// A chart of one template writing `count` ConfigMaps `map-N`, each with one value of
/// `valueLength` x's (the value on the template's line 8, then every 7 lines).
func configMapsChart(count: Int, valueLength: Int) throws -> Chart {
  try makeChart([
    "templates/maps.yaml": """
      {{- range $i := until \(count) }}
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: map-{{ $i }}
      data:
        key: {{ repeat \(valueLength) "x" }}
      {{- end }}
      """
  ])
}

/// The objects read while a template was rendered keep their document's text inside the
/// template's output, not in a copy of it: a release's output is held once, not twice.
@Suite struct ReadAheadSharingTests {
  func storage(_ text: String) -> UnsafeRawPointer? {
    var text = text
    return text.withUTF8 { UnsafeRawPointer($0.baseAddress) }
  }

  @Test func eachObjectsSourceLiesInItsTemplatesText() throws {
    let chart = try configMapsChart(count: 3, valueLength: 100)
    let release = ReleaseInfo(name: "rel", namespace: "ns")
    let rendered = try chart.render(RenderRequest(release: release)).rendered
    let text = try #require(rendered.templates.first { $0.name == "demo/templates/maps.yaml" }).text
    let manifests = try rendered.manifests(release: release)
    #expect(manifests.count == 3)
    for manifest in manifests {
      #expect(storage(manifest.source.text.base) == storage(text), "\(manifest.manifest.identity) has its own copy of its text")
    }
    // Each source is its own object's document.
    for manifest in manifests { #expect(manifest.source.text.contains("name: \(manifest.manifest.identity.name)\n")) }
    #expect(manifests.map { $0.place(of: ValuePath([.key("data"), .key("key")])) } == [8, 15, 22].map { "demo/templates/maps.yaml:\($0)" })
  }
}

/// Without `emitsEveryCanonicalYAML` (`flowrel template`), the objects past the first
/// megabytes of a release get their canonical YAML when it is asked for, the same bytes.
@Suite struct DeferredCanonicalYAMLTests {
  @Test func objectsPastTheFirstMegabytesGetTheSameYAMLWhenAsked() throws {
    let chart = try configMapsChart(count: 120, valueLength: 100_000)
    // 120 objects of 100 kB: 12 MB of output, past the 8 MiB whose objects are written while read.
    let release = ReleaseInfo(name: "rel", namespace: "ns")
    var request = RenderRequest(release: release)
    let all = try chart.render(request).rendered.manifests(release: release)
    request.emitsEveryCanonicalYAML = false
    let deferred = try chart.render(request).rendered.manifests(release: release)
    let allWritten = all.allSatisfy { $0.manifest.isCanonicalYAMLWritten }
    #expect(allWritten)
    let written = deferred.filter { $0.manifest.isCanonicalYAMLWritten }.count
    #expect(written > 0 && written < deferred.count)
    var texts: [String] = []
    deferred.forEachCanonicalYAML { _, yaml in texts.append(yaml) }
    #expect(texts == all.map(\.canonicalYAML))
  }
}
