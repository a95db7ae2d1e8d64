import FlowrelValue
import Foundation

/// A set of named templates that can call each other, as Go's `*template.Template` with its
/// associated templates: each parsed text becomes one template, each `define`/`block` another.
///
///     var set = TemplateSet(functions: helmFunctions)
///     try set.parse("chart/templates/_helpers.tpl", text: helpers)
///     try set.parse("chart/templates/deployment.yaml", text: deployment)
///     let out = try set.execute("chart/templates/deployment.yaml", data: top, options: .helm())
///
/// Output and error messages are Go's (checked against Go's own text/template by the
/// differential tests), including Go 1.22's `range` over an integer and Go 1.23's `else with`.
/// Known differences, all outside what charts do: complex constants (`1+2i`) are refused;
/// strings are valid UTF-8, so `"\xff"` becomes U+FFFD; a byte taken from a string by `index` is
/// a `uint64`, not a `uint8`; `slice` never reaches past a list's length into its capacity;
/// map keys are strings; objects compare unequal in `eq`; a map cannot be set to hold itself;
/// recursion stops at `maxDepth` (1000 template calls, where Go allows 100000) or when blocks
/// nested in the calls have used the execution's stack, and every execution has a step budget.
package struct TemplateSet: Sendable {
  /// The functions templates may call (Go's builtins are always there too).
  package let functions: TemplateFunctions
  var trees: [String: Tree] = [:]

  /// An empty set whose templates may call `functions`.
  package init(functions: TemplateFunctions = TemplateFunctions()) {
    self.functions = functions
  }

  /// Parses `text` as the template `name` and adds it and its `define`/`block` definitions to
  /// the set. As in Go, a definition replaces an earlier one of the same name, except that a
  /// text of only spaces and comments never replaces a non-empty template.
  package mutating func parse(_ name: String, text: String) throws(TemplateError) {
    add(try Self.parse(name, text: text, functions: functions))
  }

  /// One text parsed on its own, so that several can be parsed at once; `add` them to a set
  /// in the order `parse(_:text:)` would have read them.
  package struct ParsedText: Sendable {
    fileprivate let trees: [Tree]
  }

  /// Parses `text` as the template `name`, for `add`.
  package static func parse(_ name: String, text: String, functions: TemplateFunctions) throws(TemplateError) -> ParsedText {
    ParsedText(trees: try Parser.parse(name: name, text: text, functions: functions))
  }

  /// Adds a parsed text's templates, as `parse(_:text:)` does.
  package mutating func add(_ parsed: ParsedText) {
    add(parsed.trees)
  }

  mutating func add(_ parsed: [Tree]) {
    for tree in parsed {
      if let old = trees[tree.name], !old.isEmpty, tree.isEmpty { continue }
      trees[tree.name] = tree
    }
  }

  /// Whether a template called `name` is defined.
  package func contains(_ name: String) -> Bool { trees[name] != nil }

  /// The names of all templates, sorted.
  package var names: [String] { trees.keys.sorted() }

  /// Executes template `name` with `data` as dot and `$`, and returns the output. It runs on a
  /// thread of its own with a large stack (see `ExecutionOptions.maxDepth`) and waits for it.
  /// Maps in `data` are references: changes made by functions such as Sprig's `set` stay in them.
  package func execute(
    _ name: String, data: TemplateValue, options: ExecutionOptions = ExecutionOptions()
  ) throws(TemplateError) -> String {
    let context = TemplateContext(set: self, options: options)
    return try LargeStack.run { (stackFloor) throws(TemplateError) -> String in
      context.stackFloor = stackFloor
      var output: [UInt8] = []
      try context.run(name, data: data, into: &output)
      return context.finish(output)
    }
  }
}

/// Executions run on a thread of their own with a large stack, so that `maxDepth`, not the
/// caller's stack (512 KiB on some threads, 8 MiB on the main one), decides how deep templates
/// may recurse: one level of `include` costs the executor's frames plus the function's, about
/// 10 KiB in a debug build. The stack is only reserved; the pages a run touches are the memory
/// it uses.
enum LargeStack {
  /// Bytes of stack for an execution: room for `maxDepth` 1000 many times over.
  static let size = 256 << 20

  /// Work handed to the new thread. It is dropped as soon as it ran: the caller's closure must
  /// not outlive the call that lent it.
  final class Job: @unchecked Sendable {
    var work: (() -> Void)?
    init(_ work: @escaping () -> Void) { self.work = work }
  }

  /// Runs `body` on a new thread with `size` bytes of stack and waits for it; when no thread
  /// can be started (no memory for the stack), runs it on the caller's thread.
  /// `body` is given the lowest stack address it may use (`size` below the thread's start,
  /// less `reserve`), or 0 when it runs on the caller's thread, whose stack is not known.
  static func run<T>(_ body: (_ stackFloor: UInt) throws(TemplateError) -> T) throws(TemplateError) -> T {
    var result: Result<T, TemplateError>?
    var onNewThread = true
    withoutActuallyEscaping({
      let top = currentAddress()
      let floor = onNewThread && top > UInt(size) ? top - UInt(size) + UInt(reserve) : 0
      result = Result { () throws(TemplateError) -> T in try body(floor) }
    }) { work in
      if !runOnNewThread(work) {
        onNewThread = false
        work()
      }
    }
    guard let result else { throw TemplateError(.execution, "the execution thread ended without a result") }
    return try result.get()
  }

  /// Runs `work` on a new thread with `size` bytes of stack and joins it; false when the
  /// thread could not be started.
  static func runOnNewThread(_ work: @escaping () -> Void) -> Bool {
    var attributes = pthread_attr_t()
    guard pthread_attr_init(&attributes) == 0 else { return false }
    defer { pthread_attr_destroy(&attributes) }
    guard pthread_attr_setstacksize(&attributes, size) == 0 else { return false }
    let job = Unmanaged.passRetained(Job(work))
    #if canImport(Glibc)
      var thread = pthread_t()
    #else
      var thread: pthread_t?
    #endif
    guard pthread_create(&thread, &attributes, { LargeStack.start($0) }, job.toOpaque()) == 0 else {
      job.release()
      return false
    }
    #if canImport(Glibc)
      pthread_join(thread, nil)
    #else
      if let thread { pthread_join(thread, nil) }
    #endif
    return true
  }

  /// The stack room kept below the floor `run` hands its body, for what the executor calls
  /// between its checks: a function's own work, such as toJson of a value nested 10,000 levels.
  static let reserve = 16 << 20

  /// An address in the caller's stack frame: how far down the stack the caller is.
  @inline(never)
  static func currentAddress() -> UInt {
    var marker: UInt8 = 0
    return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
  }

  /// The new thread's entry: runs the job and lets it go.
  static func start(_ raw: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    guard let raw else { return nil }
    let job = Unmanaged<Job>.fromOpaque(raw).takeRetainedValue()
    job.work?()
    job.work = nil
    return nil
  }
}

/// The running execution, as functions see it: options, and the ways back into the engine
/// that Helm's `include` and `tpl` need. One context serves one top-level `execute` call.
///
/// The executor's hot properties skip dynamic exclusivity checks (`@exclusivity(unchecked)`,
/// about a tenth of execution time): a context runs on one thread, and the executor never
/// holds an access to one of them across a call that could touch it again.
package final class TemplateContext {
  /// The options of this execution (strict mode, flags of the function library).
  @exclusivity(unchecked) package private(set) var options: ExecutionOptions
  /// The top-level template being executed (the file, not an `include`d definition), which
  /// keys the values drawn in it (`DrawRecorder`).
  package internal(set) var executedTemplate = ""
  var set: TemplateSet
  /// Steps left before the budget is exhausted.
  @exclusivity(unchecked) var stepsLeft: Int
  /// Current nesting of template calls (`template`, `include`, `tpl`).
  @exclusivity(unchecked) var depth = 0
  /// The lowest stack address the executor may reach before it stops with an error, so that
  /// deep nesting ends in a message, not a crash; 0 when not known (no check).
  @exclusivity(unchecked) var stackFloor: UInt = 0
  /// Texts `render` has parsed, by name and text.
  var parsedTexts: [String: [Tree]] = [:]
  /// The output of the template being executed.
  @exclusivity(unchecked) var out: [UInt8] = []
  /// The template being executed.
  var tree: Tree?
  /// The variables of the templates being executed, innermost last.
  @exclusivity(unchecked) var vars: [Variable] = []
  /// Where the variables of the current template start in `vars` (those below are its callers').
  @exclusivity(unchecked) var frame = 0
  /// The node being evaluated, which error messages point at (trees outlive the execution).
  @exclusivity(unchecked) unowned(unsafe) var current: (any Located)?
  /// Where the output of the top-level template goes in pieces, when the caller asked for them.
  var pieces: OutputPieces?
  /// Whether `out` is the top-level template's output (not an `include`'s or `tpl`'s).
  @exclusivity(unchecked) var writesTopLevelOutput = false
  /// Calls of `run` under way: the first is the top-level template.
  @exclusivity(unchecked) var runs = 0

  init(set: TemplateSet, options: ExecutionOptions) {
    self.set = set
    self.options = options
    self.stepsLeft = options.maxSteps
  }

  /// A context outside any execution, for unit tests of functions that read `options` or
  /// call back into `set` (which then runs on the caller's thread and stack).
  package convenience init(testing set: TemplateSet = TemplateSet(), options: ExecutionOptions = ExecutionOptions()) {
    self.init(set: set, options: options)
  }

  /// Runs `body` with the function-library flag `name` set, and the options as they were after
  /// it: a drawn function runs this way, past the refusal of run-to-run results, because the
  /// recorder keeps its value for the next render.
  package func withFlag<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
    let saved = options
    options.flags[name] = true
    defer { options = saved }
    return try body()
  }

  /// Whether the set has a template called `name` (Helm's `include` of an unknown name fails).
  package func hasTemplate(named name: String) -> Bool { set.contains(name) }

  /// Executes template `name` of the current set with `data` as dot and returns its output
  /// (Helm's `include`; `<no value>` stays, as in Helm, until the whole output is done).
  /// Counts towards the depth limit; errors are Go's own
  /// (`template: no template "x" associated with template "y"`).
  package func executeTemplate(named name: String, data: TemplateValue) throws(TemplateError) -> String {
    // Room for a typical included block, so that it is not copied as it grows from empty.
    var output: [UInt8] = []
    output.reserveCapacity(256)
    try run(name, data: data, into: &output)
    return String(decoding: output, as: UTF8.self)
  }

  /// Parses `text` as a template named `name`, with the current set's definitions (and any
  /// it defines itself, visible only to it), and executes it with `data` (Helm's `tpl`, which
  /// also removes `<no value>` when the options say so). Text without `{{` is returned as it
  /// is, without parsing; a text seen before in this execution is not parsed again.
  package func render(text: String, name: String, data: TemplateValue) throws(TemplateError) -> String {
    if !text.utf8.contains(UInt8(ascii: "{")) || !text.contains("{{") { return text }
    let key = name + "\u{0}" + text
    let parsed: [Tree]
    if let cached = parsedTexts[key] {
      parsed = cached
    } else {
      parsed = try Parser.parse(name: name, text: text, functions: set.functions)
      parsedTexts[key] = parsed
    }
    let saved = set
    set.add(parsed)
    defer { set = saved }
    var output: [UInt8] = []
    try run(name, data: data, into: &output)
    return finish(output)
  }

  func finish(_ output: [UInt8]) -> String {
    guard options.removesNoValue else { return String(decoding: output, as: UTF8.self) }
    return String(decoding: Self.removingNoValue(output), as: UTF8.self)
  }

  /// `output` without any `<no value>`, searched byte by byte: the whole rendered file goes
  /// through here, and Foundation's string search cost more than the rest of the step.
  static func removingNoValue(_ output: [UInt8]) -> [UInt8] {
    let marker = Array("<no value>".utf8)
    let last = output.count - marker.count
    guard last >= 0 else { return output }
    var result: [UInt8] = []
    var copied = 0
    // Over the buffer, without a bounds check per byte; `memchr` finds each `<` quickly.
    output.withUnsafeBufferPointer { bytes in
      guard let base = bytes.baseAddress else { return }
      var index = 0
      while index <= last, let hit = memchr(base + index, Int32(marker[0]), last + 1 - index) {
        let found = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        if bytes[found..<found + marker.count].elementsEqual(marker) {
          if result.isEmpty { result.reserveCapacity(output.count) }
          result.append(contentsOf: bytes[copied..<found])
          index = found + marker.count
          copied = index
        } else {
          index = found + 1
        }
      }
    }
    if copied == 0 { return output }
    result.append(contentsOf: output[copied...])
    return result
  }
}
