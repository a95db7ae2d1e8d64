import FlowrelValue
import Testing
@testable import FlowrelChart

@Suite struct ChartMetadataTests {
  let minimal: Value = ["apiVersion": "v2", "name": "flow", "version": "1.2.3"]

  @Test func readsEveryField() throws {
    let value: Value = [
      "apiVersion": "v2", "name": "flow", "version": "0.1.0-rc.1", "appVersion": 3.34, "description": "Jina Flows",
      "type": "application", "kubeVersion": ">=1.21.0-0", "keywords": ["jina"], "home": "https://example.org",
      "sources": ["https://example.org/src"], "icon": "", "deprecated": false,
      "maintainers": [["name": "Ada", "email": "ada@example.org"]], "annotations": ["team": "search"],
    ]
    let metadata = try ChartMetadata(value)
    #expect(metadata.version.description == "0.1.0-rc.1")
    #expect(metadata.appVersion == "3.34")
    #expect(metadata.kubeVersion?.text == ">=1.21.0-0")
    #expect(metadata.maintainers == [.init(name: "Ada", email: "ada@example.org", url: "")])
    #expect(metadata.templateValue["Name"] == "flow")
    #expect(metadata.templateValue["Maintainers"]?[0]?["Email"] == "ada@example.org")
    #expect(metadata.templateValue["Annotations"] == ["team": "search"])
  }

  @Test func defaultsTypeToApplication() throws {
    #expect(try ChartMetadata(minimal).type == "application")
  }

  @Test(arguments: [
    ("version", Value.string("1.2.3.4"), "version"), ("version", "1.x", "version"), ("version", nil, "version: is required"),
    ("name", "", "name: is required"), ("name", "a/b", "not a valid chart name"), ("apiVersion", "v3", "must be v2"),
    ("type", "operator", "application or library"), ("kubeVersion", ">>1", "kubeVersion"),
    ("keywords", "jina", "list of strings"), ("dependencies", "redis", "dependencies: must be a list"),
    ("dependencies", Value.list([["version": "1.0.0"]]), "dependencies[0].name: is required"),
    ("maintainers", Value.list([["email": "x@y"]]), "maintainers[0].name"), ("nmae", "x", "nmae: unknown field"),
  ])
  func refusesBadFieldsNamingThem(field: String, value: Value, message: String) {
    var fields = minimal.mapValue ?? [:]
    fields[field] = value
    #expect {
      _ = try ChartMetadata(.map(fields))
    } throws: { error in
      "\(error)".hasPrefix("Chart.yaml: ") && "\(error)".contains(message)
    }
  }
}

/// `flowrel.dev/values-yaml` chooses how values files type scalars; a misspelt choice is refused.
@Suite struct ValuesYAMLAnnotationTests {
  func metadata(_ annotation: String?) throws -> ChartMetadata {
    var fields = (["apiVersion": "v2", "name": "flow", "version": "1.2.3"] as Value).mapValue ?? [:]
    if let annotation { fields["annotations"] = [ChartMetadata.valuesYAMLAnnotation: .string(annotation)] }
    return try ChartMetadata(.map(fields))
  }

  @Test func choosesTheScalarRules() throws {
    #expect(try metadata(nil).valuesScalarRules == .helm)
    #expect(try metadata("helm").valuesScalarRules == .helm)
    #expect(try metadata("pyyaml").valuesScalarRules == .pyyaml)
    #expect(try metadata("jina").valuesScalarRules == .jina)
  }

  @Test func refusesAnUnknownChoice() {
    #expect {
      _ = try metadata("yaml12")
    } throws: { error in
      "\(error)".contains("flowrel.dev/values-yaml") && "\(error)".contains("must be helm, pyyaml or jina")
    }
  }
}

extension ValuesYAMLAnnotationTests {
  /// The chart's own values.yaml is typed as its users' values files are.
  @Test func defaultValuesFollowTheAnnotation() throws {
    func chart(_ annotation: String) throws -> Chart {
      let metadata = "apiVersion: v2\nname: flow\nversion: 1.2.3\nannotations:\n  flowrel.dev/values-yaml: \(annotation)\n"
      return try Chart(
        files: [
          ChartFile(path: "Chart.yaml", contents: Array(metadata.utf8)),
          ChartFile(path: "values.yaml", contents: Array("a: on\nb: y\n".utf8)),
        ], source: "flow")
    }
    #expect(try chart("jina").defaultValues == ["a": "on", "b": "y"])
    #expect(try chart("helm").defaultValues == ["a": true, "b": true])
  }
}

/// Fuzzing found that `appVersion: .inf` stopped the process: the number was formatted as
/// text by code that needs a finite number (issue 18).
@Suite struct ChartMetadataNonFiniteTests {
  @Test(arguments: [
    ("appVersion", ".inf", ".inf"), ("appVersion", "-.inf", "-.inf"), ("appVersion", ".nan", ".nan"),
    ("description", ".Inf", ".inf"), ("home", "-.INF", "-.inf"), ("kubeVersion", ".NaN", ".nan"),
  ])
  func nonFiniteNumberInATextFieldIsAnErrorAtItsPlace(field: String, text: String, spelling: String) {
    let yaml = "apiVersion: v2\nname: flow\nversion: 1.2.3\n\(field): \(text)\n"
    let column = field.count + 3
    #expect {
      _ = try Chart(files: [ChartFile(path: "Chart.yaml", contents: Array(yaml.utf8))], source: "charts/flow")
    } throws: { error in
      guard case .yaml(let yamlError)? = error as? ChartError else { return false }
      return "\(error)".hasPrefix("charts/flow/Chart.yaml:4:\(column): \(field): \(spelling) reads as a number")
        && yamlError.line == 4 && yamlError.column == column
    }
  }

  @Test func nonFiniteNumberWithoutPositionsNamesTheField() {
    var fields = ChartMetadataTests().minimal.mapValue ?? [:]
    fields["appVersion"] = .double(.infinity)
    #expect {
      _ = try ChartMetadata(.map(fields))
    } throws: { error in
      "\(error)".hasPrefix("Chart.yaml: appVersion: .inf reads as a number")
    }
  }
}
