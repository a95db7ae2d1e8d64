import FlowrelAge
import FlowrelManifest
import FlowrelStore
import FlowrelValue
import Foundation
import StoreFixtures
import Testing

/// `InstalledRevision`, what an upgrade starts from, against the revision read in full: the
/// same metadata, values, CRDs, hooks and draws, and the same change plan for any new objects,
/// although it parses only the stored files whose bytes differ from the new objects'.
@Suite struct InstalledRevisionTests {
  static let identity = AgeIdentity.generate()

  /// The stored release: `Fixtures.revision` with a Secret (a SOPS file, whose bytes never
  /// equal the object's canonical YAML), two executors, a CRD, a hook and drawn values.
  static func stored() throws -> NewRevision {
    var revision = Fixtures.revision(release: "web", replicas: 2, password: "s3cret", secretPaths: [ValuePath([.key("db"), .key("password")])])
    revision.crds = [try Manifest(content: widgetsCRD)]
    let hookObject = try Manifest(content: hookJob)
    guard case .hook(let hook) = try Hook.role(of: hookObject, template: "web/templates/migrate.yaml") else {
      throw StoreTestError("the fixture's Job is no hook")
    }
    revision.hooks = [hook]
    revision.draws = [
      "draws": [["template": "web/templates/secret.yaml", "function": "randAlphaNum", "occurrence": 0, "arguments": [16], "value": "drawnPa55wordXyz"]]
    ]
    return revision
  }

  static let widgetsCRD: Value = [
    "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition", "metadata": ["name": "widgets.example.com"],
    "spec": ["group": "example.com", "names": ["kind": "Widget", "plural": "widgets"], "scope": "Namespaced"],
  ]

  static let hookJob: Value = [
    "apiVersion": "batch/v1", "kind": "Job",
    "metadata": ["name": "migrate", "namespace": "default", "annotations": ["helm.sh/hook": "pre-upgrade"]],
    "spec": ["template": ["spec": ["restartPolicy": "Never", "containers": [["name": "migrate", "image": "migrate:1"]]]]],
  ]

  /// The new objects of each case, and which kinds of change the case must hold (so that a
  /// case cannot silently stop covering what it is named for).
  enum Change: String, CaseIterable, CustomTestStringConvertible, Sendable {
    /// The same objects again: all unchanged, the Secret included.
    case same
    /// Replicas changed, an executor removed, a ConfigMap added, the Secret kept.
    case mixed
    /// Only the Secret's password changed.
    case secretChanged
    /// More executors, and the hook's Job as a plain object (added: hooks are not objects).
    case added
    /// No objects at all: everything removed.
    case nothing

    var testDescription: String { rawValue }

    func objects() throws -> [Manifest] {
      switch self {
      case .same:
        return Fixtures.revision(release: "web", replicas: 2, password: "s3cret").manifests
      case .mixed:
        var objects = Fixtures.revision(release: "web", replicas: 3, executors: 1, password: "s3cret").manifests
        objects.append(try Manifest(content: [
          "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "extra", "namespace": "default"], "data": ["a": "b"],
        ]))
        return objects
      case .secretChanged:
        return Fixtures.revision(release: "web", replicas: 2, password: "other").manifests
      case .added:
        var objects = Fixtures.revision(release: "web", replicas: 2, executors: 4, password: "s3cret").manifests
        objects.append(try Manifest(content: InstalledRevisionTests.hookJob))
        return objects
      case .nothing:
        return []
      }
    }

    /// Whether `plan` has the changes this case is about.
    func covers(_ plan: ChangePlan) -> Bool {
      let secret = ObjectIdentity(apiVersion: "v1", kind: "Secret", namespace: "default", name: "db")
      switch self {
      case .same: return plan.changed.isEmpty && plan.added.isEmpty && plan.removed.isEmpty && plan.unchanged.contains(secret)
      case .mixed:
        return !plan.changed.isEmpty && !plan.added.isEmpty && !plan.removed.isEmpty && plan.unchanged.contains(secret)
      case .secretChanged: return plan.changed == [secret] && plan.added.isEmpty && plan.removed.isEmpty
      case .added: return plan.added.count == 3 && plan.changed.isEmpty && plan.removed.isEmpty
      case .nothing: return plan.removed.count == 6 && plan.unchanged.isEmpty
      }
    }
  }

  @Test(arguments: StoreKind.allCases, Change.allCases)
  func thePlanFromStoredBlobsIsThePlanOfTheParsedObjects(_ kind: StoreKind, _ change: Change) async throws {
    let subject = try StoreUnderTest(kind, identity: Self.identity)
    _ = try await subject.store.record(try Self.stored())
    let new = try change.objects()
    let full = try subject.store.revision(release: "web", namespace: "default", number: nil)
    let installed = try subject.store.installedRevision(release: "web", namespace: "default")
    let expected = ChangePlan(from: full.manifests, to: new)
    #expect(change.covers(expected), "the case \(change) no longer holds its kind of change: \(expected)")
    #expect(try installed.plan(to: new) == expected)
    // Read without the identity, the Secret stays encrypted: changed in both plans alike.
    let keyless = try subject.keyless.installedRevision(release: "web", namespace: "default")
    let keylessFull = try subject.keyless.revision(release: "web", namespace: "default", number: nil)
    #expect(try keyless.plan(to: new) == ChangePlan(from: keylessFull.manifests, to: new))
  }

  @Test(arguments: StoreKind.allCases)
  func theInstalledRevisionCarriesWhatTheFullRevisionHolds(_ kind: StoreKind) async throws {
    let subject = try StoreUnderTest(kind, identity: Self.identity)
    _ = try await subject.store.record(Fixtures.revision(release: "web"))
    let recorded = try await subject.store.record(try Self.stored())
    let installed = try subject.store.installedRevision(release: "web", namespace: "default")
    #expect(installed.info == recorded.info)
    #expect(installed.values == recorded.values)
    #expect(installed.secretValuePaths == recorded.secretValuePaths)
    #expect(installed.notes == recorded.notes)
    #expect(installed.crds.map(\.identity) == [try Manifest(content: Self.widgetsCRD).identity])
    #expect(installed.crds == recorded.crds)
    #expect(installed.hooks.map(\.manifest.identity.name) == ["migrate"])
    #expect(installed.hooks == recorded.hooks)
    #expect(installed.draws?["draws"]?.listValue?.first?["value"] == "drawnPa55wordXyz")
    #expect(installed.draws == recorded.draws)
    #expect(try installed.revision() == subject.store.revision(release: "web", namespace: "default", number: nil))
    #expect(try installed.revision().manifests == recorded.manifests)
  }
}
