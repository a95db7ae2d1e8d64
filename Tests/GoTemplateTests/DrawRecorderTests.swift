import FlowrelValue
import GoTemplate
import OrderedCollections
import Testing

/// A certificate as Sprig's `genCA` returns it: a struct with `Cert` and `Key`.
struct DrawnCertificate: RecordedObject {
  let cert: String, key: String
  static var recordedTypeName: String { "sprig.certificate" }
  var goTypeName: String { "sprig.certificate" }
  var goKindName: String { "struct" }
  var recordedFields: Value { ["Cert": .string(cert), "Key": .string(key)] }
  init(cert: String, key: String) {
    self.cert = cert
    self.key = key
  }
  init?(recordedFields: Value) {
    guard let cert = recordedFields["Cert"]?.stringValue, let key = recordedFields["Key"]?.stringValue else { return nil }
    self.init(cert: cert, key: key)
  }
  func member(named name: String) -> TemplateMember? {
    switch name {
    case "Cert": .field(.string(cert))
    case "Key": .field(.string(key))
    default: nil
    }
  }
}

/// `DrawRecorder` on its own: keys, the stored document, objects, damaged documents, and the
/// template a call counts for.
@Suite struct DrawRecorderTests {
  @Test func anObjectIsRecordedAsItsFieldsAndComesBackAsTheSameObject() throws {
    let first = try DrawRecorder(previous: nil, objectTypes: [DrawnCertificate.self])
    let drawn = try first.value(template: "t", function: "genCA", arguments: ["ca", 365]) {
      .object(DrawnCertificate(cert: "CERT", key: "KEY"))
    }
    let entry = try #require(first.document?["draws"]?.listValue?.first)
    #expect(entry["type"] == "sprig.certificate")
    #expect(entry["value"] == ["Cert": "CERT", "Key": "KEY"])
    #expect(entry["arguments"] == ["ca", 365])
    let again = try DrawRecorder(previous: first.document, objectTypes: [DrawnCertificate.self])
    let kept = try again.value(template: "t", function: "genCA", arguments: ["ca", 365]) {
      Issue.record("drew again")
      return .null
    }
    guard case .object(let object) = kept, let certificate = object as? DrawnCertificate else {
      Issue.record("came back as \(kept.goTypeName), not drawn as \(drawn.goTypeName)")
      return
    }
    #expect(certificate.cert == "CERT" && certificate.key == "KEY")
    // The object passed on as an argument keys the next call by its fields.
    _ = try again.value(template: "t", function: "genSignedCert", arguments: ["web", kept]) { .string("signed") }
    let signed = again.document?["draws"]?.listValue?.first { $0["function"] == "genSignedCert" }
    #expect(signed?["arguments"] == ["web", ["Cert": "CERT", "Key": "KEY"]])
    // A recorder that does not know the type says how to go on.
    let unknowing = try DrawRecorder(previous: first.document)
    #expect {
      _ = try unknowing.value(template: "t", function: "genCA", arguments: ["ca", 365]) { .null }
    } throws: { error in
      "\(error)".contains("sprig.certificate") && "\(error)".contains("--regenerate")
    }
  }

  @Test func theArgumentsKeyADrawWhateverTheOrderOfAMapsKeys() throws {
    let first = try DrawRecorder(previous: nil)
    let forward = TemplateValue.map(TemplateMap(["a": .int(1), "b": .int(2)] as OrderedDictionary<String, TemplateValue>))
    let backward = TemplateValue.map(TemplateMap(["b": .int(2), "a": .int(1)] as OrderedDictionary<String, TemplateValue>))
    _ = try first.value(template: "t", function: "f", arguments: [forward]) { .string("x") }
    let again = try DrawRecorder(previous: first.document)
    #expect(try again.value(template: "t", function: "f", arguments: [backward]) { .string("y") } .plainValue == "x")
    #expect(try again.value(template: "t", function: "f", arguments: [.int(3)]) { .string("z") } .plainValue == "z")
  }

  @Test func aDamagedDocumentIsRefusedWithTheWayOut() {
    for document: Value in [["draws": "no list"], ["draws": [["template": "t", "function": "f"]]], ["other": []]] {
      #expect {
        _ = try DrawRecorder(previous: document)
      } throws: { error in
        "\(error)".contains("stored draws") && "\(error)".contains("--regenerate")
      }
    }
  }

  @Test func aCallInsideAnIncludeCountsForTheTemplateThatRuns() throws {
    var functions = TemplateFunctions()
    functions.register("where") { _, context in .string(context.executedTemplate) }
    var set = TemplateSet(functions: functions)
    try set.parse("lib.tpl", text: #"{{ define "x" }}{{ where }}{{ end }}"#)
    try set.parse("a.yaml", text: #"{{ where }} {{ template "x" }}"#)
    #expect(try set.execute("a.yaml", data: .missing) == "a.yaml a.yaml")
  }
}
