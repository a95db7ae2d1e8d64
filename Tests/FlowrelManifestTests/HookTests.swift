import FlowrelManifest
import FlowrelValue
import Testing

@Suite struct HookTests {
  /// An object of `kind` named `name` with these annotations.
  func object(_ kind: String, _ name: String, _ annotations: [String: Value], apiVersion: String = "v1") throws -> Manifest {
    let pairs = annotations.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    let metadata: Value = annotations.isEmpty
      ? ["name": .string(name)] : ["name": .string(name), "annotations": .map(.init(uniqueKeysWithValues: pairs))]
    return try Manifest(content: ["apiVersion": .string(apiVersion), "kind": .string(kind), "metadata": metadata])
  }

  func hook(_ kind: String, _ name: String, _ annotations: [String: Value]) throws -> Hook {
    guard case .hook(let hook) = try Hook.role(of: try object(kind, name, annotations), template: "c/templates/h.yaml") else {
      Issue.record("\(kind) \(name) is no hook")
      throw HookTestError()
    }
    return hook
  }

  struct HookTestError: Error {}

  @Test func anObjectWithoutTheHookAnnotationIsTheReleasesOwn() throws {
    #expect(try Hook.role(of: object("ConfigMap", "a", [:]), template: "t") == .object)
    #expect(try Hook.role(of: object("ConfigMap", "a", ["helm.sh/hook-weight": "3"]), template: "t") == .object)
  }

  @Test func eventsAreReadAsHelmReadsThemAndTestSuccessIsTest() throws {
    let hook = try hook("Job", "j", ["helm.sh/hook": " Pre-Install ,post-upgrade,test-success"])
    #expect(hook.events == [.preInstall, .postUpgrade, .test])
    #expect(hook.template == "c/templates/h.yaml")
    #expect(HookEvent.allCases.map(\.rawValue) == [
      "pre-install", "post-install", "pre-upgrade", "post-upgrade", "pre-rollback", "post-rollback", "pre-delete",
      "post-delete", "test",
    ])
  }

  @Test func anUnknownEventLeavesTheObjectOutAsHelmDoes() throws {
    let manifest = try object("Job", "j", ["helm.sh/hook": "pre-install,after-install"])
    #expect(try Hook.role(of: manifest, template: "t") == .unknownHook("pre-install,after-install"))
    #expect(try Hook.role(of: object("Job", "j", ["helm.sh/hook": ""]), template: "t") == .unknownHook(""))
  }

  @Test func aWeightIsGosAtoiAndZeroWhenItIsNoInteger() throws {
    for (text, weight) in [("5", 5), ("-3", -3), ("+7", 7), ("007", 7), (" 5", 0), ("5.0", 0), ("x", 0), ("", 0),
                           ("9223372036854775807", Int.max), ("-9223372036854775808", Int.min), ("9223372036854775808", 0)] {
      let hook = try hook("Job", "j", ["helm.sh/hook": "pre-install", "helm.sh/hook-weight": .string(text)])
      #expect(hook.weight == weight, "weight \"\(text)\"")
    }
  }

  @Test func anAnnotationThatIsNoStringIsRefused() throws {
    let manifest = try object("Job", "j", ["helm.sh/hook": "pre-install", "helm.sh/hook-weight": 5])
    #expect(throws: ManifestError.wrongType("metadata.annotations[helm.sh/hook-weight]", kind: "Job", found: "int")) {
      try Hook.role(of: manifest, template: "t")
    }
  }

  @Test func hooksRunByWeightThenKindOrderThenName() throws {
    let hooks = [
      try hook("Job", "b", ["helm.sh/hook": "pre-install", "helm.sh/hook-weight": "1"]),
      try hook("Job", "a", ["helm.sh/hook": "pre-install", "helm.sh/hook-weight": "1"]),
      try hook("ConfigMap", "z", ["helm.sh/hook": "pre-install", "helm.sh/hook-weight": "1"]),
      try hook("Widget", "a", ["helm.sh/hook": "pre-install", "helm.sh/hook-weight": "1"]),
      try hook("Gadget", "b", ["helm.sh/hook": "pre-install", "helm.sh/hook-weight": "1"]),
      try hook("Secret", "s", ["helm.sh/hook": "pre-install", "helm.sh/hook-weight": "-10"]),
      try hook("ServiceAccount", "late", ["helm.sh/hook": "pre-install", "helm.sh/hook-weight": "2"]),
      try hook("Pod", "other-event", ["helm.sh/hook": "post-install"]),
    ]
    // Weight first; at equal weight Helm's install order of kinds (ConfigMap before Job),
    // kinds it does not know last and among themselves by kind; then the name.
    let order = Hook.runOrder(hooks, for: .preInstall).map { "\($0.manifest.identity.kind)/\($0.manifest.identity.name)" }
    #expect(order == ["Secret/s", "ConfigMap/z", "Job/a", "Job/b", "Gadget/b", "Widget/a", "ServiceAccount/late"])
    #expect(Hook.runOrder(hooks.reversed(), for: .preInstall).map(\.manifest.identity.name) == order.map { String($0.split(separator: "/")[1]) })
    #expect(Hook.runOrder(hooks, for: .postInstall).map(\.manifest.identity.name) == ["other-event"])
  }

  @Test func withoutAPolicyAHookIsDeletedOnlyBeforeItIsCreatedAgain() throws {
    let plain = try hook("Job", "j", ["helm.sh/hook": "pre-install"])
    #expect(plain.deletes(at: .beforeHookCreation))
    #expect(!plain.deletes(at: .hookSucceeded))
    #expect(!plain.deletes(at: .hookFailed))

    let named = try hook("Job", "j", ["helm.sh/hook": "pre-install", "helm.sh/hook-delete-policy": "Hook-Succeeded , hook-failed"])
    #expect(named.deletePolicies == ["hook-succeeded", "hook-failed"])
    #expect(!named.deletes(at: .beforeHookCreation), "a named policy replaces the default")
    #expect(named.deletes(at: .hookSucceeded))
    #expect(named.deletes(at: .hookFailed))

    // As Helm: an unknown policy is kept, matches nothing, and still replaces the default.
    let unknown = try hook("Job", "j", ["helm.sh/hook": "pre-install", "helm.sh/hook-delete-policy": "never"])
    #expect(HookDeletePolicy.allCases.allSatisfy { !unknown.deletes(at: $0) })

    let crd = try hook("CustomResourceDefinition", "widgets.example.com", ["helm.sh/hook": "pre-install"])
    #expect(!crd.deletes(at: .beforeHookCreation), "Helm never deletes a CRD hook")
  }

  @Test func resourcePolicyKeepIsReadTrimmedInAnyCase() throws {
    #expect(Hook.isKept(try object("ConfigMap", "a", ["helm.sh/resource-policy": " Keep "])))
    #expect(!Hook.isKept(try object("ConfigMap", "a", ["helm.sh/resource-policy": "delete"])))
    #expect(!Hook.isKept(try object("ConfigMap", "a", [:])))
  }
}
