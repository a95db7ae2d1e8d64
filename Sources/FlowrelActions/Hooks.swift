import FlowrelChart
import FlowrelKube
import FlowrelManifest
import FlowrelStore
import FlowrelValue

/// A chart's rendered objects, hooks apart (Helm's manifest sorter): what the release owns,
/// and the hooks that run around it.
struct RenderedRelease {
  /// The release's objects, in install order.
  var objects: [RenderedManifest] = []
  /// The hooks with the rendered objects they came from, in install order of their objects.
  var hooks: [(rendered: RenderedManifest, hook: Hook)] = []
  /// Objects left out because their `helm.sh/hook` names an event Helm does not know (Helm
  /// leaves them out too), as lines to tell the user.
  var skipped: [String] = []

  /// `rendered` split into objects and hooks.
  init(_ rendered: [RenderedManifest]) throws(ChartError) {
    for item in rendered {
      let role: Hook.Role
      do {
        role = try Hook.role(of: item.manifest, template: item.template)
      } catch {
        throw ChartError.badObject(place: "\(item.template):\(item.source.startLine)", reason: error.description)
      }
      switch role {
      case .object: objects.append(item)
      case .hook(let hook): hooks.append((item, hook))
      case .unknownHook(let events):
        skipped.append(
          "skipping \(item.manifest.identity.kubectlName) (\(item.template)): \(Hook.eventsAnnotation) \"\(events)\" names an unknown hook event, and Helm leaves such objects out")
      }
    }
  }
}

/// A hook that did not succeed: it could not be applied, it failed, or it did not finish in time.
package struct HookFailure: Error, Sendable, CustomStringConvertible {
  /// The event it ran for.
  package var event: HookEvent
  /// The hook's object.
  package var object: ObjectIdentity
  /// The template that wrote it.
  package var template: String
  /// What went wrong.
  package var reason: String

  /// What a failure at `event` left behind, for the message (`revision`: the one recorded).
  static func consequence(of event: HookEvent, revision: Int?) -> String {
    switch (event, revision) {
    case (.preDelete, _): "; nothing was deleted, and the release stays installed"
    case (.postDelete, let number?): "; the release's objects were deleted, and the uninstall is recorded as revision \(number)"
    case (.preInstall, let number?), (.preUpgrade, let number?), (.preRollback, let number?):
      "; revision \(number) is recorded as failed, and nothing of it was applied"
    case (.postInstall, let number?), (.postUpgrade, let number?), (.postRollback, let number?):
      "; revision \(number) was applied and is recorded as failed"
    default: ""
    }
  }

  package var description: String {
    "\(event.rawValue) hook \(object.kubectlName)\(template.isEmpty ? "" : " (\(template))") failed: \(reason)"
  }
}

/// How one hook ran (`flowrel test` reports each).
package struct HookRun: Sendable, Hashable {
  /// How it ended.
  package enum Phase: String, Sendable, Hashable {
    /// Done: a Job complete, a Pod succeeded, any other object applied.
    case succeeded = "Succeeded"
    /// It failed or did not finish in time.
    case failed = "Failed"
  }

  /// The hook.
  package var hook: Hook
  /// How it ended.
  package var phase: Phase
}

/// Runs the hooks of one event as Helm's `execHook` does: in `Hook.runOrder`; each one's old
/// object deleted first when its policy says `before-hook-creation` (the default); applied;
/// waited on until done (Jobs complete, Pods succeed; other kinds at once); a failure deletes
/// the failed hook when its policy says `hook-failed` and stops the event; when all succeeded,
/// those whose policy says `hook-succeeded` are deleted, last first.
struct HookRunner {
  let config: ActionConfiguration
  /// How long each hook may take.
  let timeout: GoDuration
  /// Take over fields other managers own when applying.
  var forceConflicts = false
  /// How often a running hook's object is read again.
  var pollInterval: Duration = .milliseconds(250)

  /// Runs `event`'s hooks among `hooks`; calls `ran` after each; throws the first failure.
  func run(_ event: HookEvent, hooks: [Hook], ran: (HookRun) -> Void = { _ in }) async throws(HookFailure) {
    let ordered = Hook.runOrder(hooks, for: event)
    guard !ordered.isEmpty else { return }
    config.progress("running \(ordered.count) \(event.rawValue) hook(s)")
    for hook in ordered {
      let object = hook.manifest.identity
      func failure(_ reason: String) -> HookFailure {
        HookFailure(event: event, object: object, template: hook.template, reason: reason)
      }
      do throws(KubeError) {
        if hook.deletes(at: .beforeHookCreation) { try await delete(object) }
        try await config.kube.apply([hook.manifest], forceConflicts: forceConflicts)
      } catch {
        ran(HookRun(hook: hook, phase: .failed))
        throw failure(error.description)
      }
      config.progress("\(event.rawValue) hook \(object.kubectlName): applied")
      if let reason = await outcome(of: object) {
        ran(HookRun(hook: hook, phase: .failed))
        if hook.deletes(at: .hookFailed) {
          do throws(KubeError) { try await delete(object) } catch {
            throw failure("\(reason); deleting it (hook-failed) failed too: \(error)")
          }
        }
        throw failure(reason)
      }
      config.progress("\(event.rawValue) hook \(object.kubectlName): succeeded")
      ran(HookRun(hook: hook, phase: .succeeded))
    }
    for hook in ordered.reversed() where hook.deletes(at: .hookSucceeded) {
      do throws(KubeError) { try await delete(hook.manifest.identity) } catch {
        throw HookFailure(
          event: event, object: hook.manifest.identity, template: hook.template,
          reason: "it succeeded, but deleting it (hook-succeeded) failed: \(error)")
      }
    }
  }

  /// Deletes the object when it exists and waits until it is gone, so that it can be created again.
  private func delete(_ object: ObjectIdentity) async throws(KubeError) {
    guard try await config.kube.currentObjects([object])[object] != nil else { return }
    try await config.kube.delete([object])
    try await config.kube.waitUntilDeleted([object], timeout: timeout)
  }

  /// Waits until the hook's object is done: nil when it succeeded, else why not.
  private func outcome(of object: ObjectIdentity) async -> String? {
    guard Self.runsToCompletion(object) else { return nil }
    let clock = ContinuousClock()
    let deadline = clock.now + timeout.swiftDuration
    while true {
      let live: Value?
      do { live = try await config.kube.currentObjects([object])[object] } catch { return "reading it failed: \(error)" }
      guard let live else { return "it was deleted before it finished" }
      switch Self.state(of: object, live: live) {
      case .succeeded: return nil
      case .failed(let reason): return reason
      case .running: break
      }
      guard clock.now < deadline else { return "it did not finish within \(timeout)" }
      try? await Task.sleep(for: pollInterval)
    }
  }

  /// Kinds Helm waits for (`WatchUntilReady`): Jobs and Pods; every other kind is done once applied.
  static func runsToCompletion(_ object: ObjectIdentity) -> Bool {
    (object.group == "batch" && object.kind == "Job") || (object.group.isEmpty && object.kind == "Pod")
  }

  /// Where a running hook's object stands.
  enum State: Equatable {
    case running, succeeded
    case failed(String)
  }

  /// A Job is done at its `Complete` condition and failed at its `Failed` one; a Pod by its
  /// `status.phase` (`Succeeded`, `Failed`).
  static func state(of object: ObjectIdentity, live: Value) -> State {
    if object.kind == "Job" {
      for condition in live["status"]?["conditions"]?.listValue ?? [] where condition["status"]?.stringValue == "True" {
        switch condition["type"]?.stringValue {
        case "Complete": return .succeeded
        case "Failed":
          let detail = [condition["reason"]?.stringValue, condition["message"]?.stringValue].compactMap { $0 }.filter { !$0.isEmpty }
          return .failed("job failed" + (detail.isEmpty ? "" : ": " + detail.joined(separator: ": ")))
        default: continue
        }
      }
      return .running
    }
    switch live["status"]?["phase"]?.stringValue {
    case "Succeeded": return .succeeded
    case "Failed":
      let message = live["status"]?["message"]?.stringValue ?? live["status"]?["reason"]?.stringValue
      return .failed("pod failed" + (message.map { ": \($0)" } ?? ""))
    default: return .running
    }
  }
}

extension ReleaseAction {
  /// The hook events around applying a revision of this action: nil for those that apply nothing.
  var hookEvents: (pre: HookEvent, post: HookEvent)? {
    switch self {
    case .install: (.preInstall, .postInstall)
    case .upgrade: (.preUpgrade, .postUpgrade)
    case .rollback: (.preRollback, .postRollback)
    case .rotate, .uninstall: nil
    }
  }
}

/// `flowrel test RELEASE`: runs the installed revision's `test` hooks, as `helm test` does, and
/// reports each; the first failure stops the suite.
package struct TestRelease: Sendable {
  let config: ActionConfiguration
  /// The release's name.
  package var release = ""
  /// How long each test may take.
  package var timeout = GoDuration.seconds(300)

  /// What `run` did.
  package struct Result: Sendable {
    /// The revision tested.
    package var revision: RevisionInfo
    /// Each test that ran, in the order it ran.
    package var runs: [HookRun]
    /// The first failure, which stopped the suite.
    package var failure: HookFailure?
  }

  /// A test run with `config`.
  package init(config: ActionConfiguration) { self.config = config }

  /// Runs the tests; a failed test is in the result (the CLI exits non-zero on it).
  package func run() async throws(ActionError) -> Result {
    try ReleaseName.validate(release)
    if timeout.nanoseconds <= 0 { throw .usage("--timeout must be above zero, not \(timeout)") }
    _ = try await ActionError.wrapping { try await config.kube.checkCluster() }
    let namespace = config.namespace
    guard let revision = try ActionError.wrapping({ try config.releases.installed(release, namespace: namespace) }) else {
      throw .notInstalled(name: release, namespace: namespace)
    }
    try ActionError.wrapping { try SecretProtection.requireDecrypted(revision.hooks.map(\.manifest)) }
    var runs: [HookRun] = []
    do {
      try await HookRunner(config: config, timeout: timeout).run(.test, hooks: revision.hooks) { runs.append($0) }
    } catch {
      return Result(revision: revision.info, runs: runs, failure: error)
    }
    return Result(revision: revision.info, runs: runs, failure: nil)
  }
}
