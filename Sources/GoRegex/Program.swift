/// One instruction of a Thompson-NFA program.
enum Instruction: Sendable {
  /// Consume one code point of the class.
  case chars(CharClass)
  /// Continue at both targets, the first preferred.
  case split(Int, Int)
  /// Continue at the target.
  case jump(Int)
  /// Record the position in capture slot `n` (2k and 2k+1 bound group k).
  case save(Int)
  /// Continue only where the condition holds.
  case assertion(Assertion)
  /// End the thread (an empty class).
  case fail
  /// The thread has matched.
  case match
}

/// A compiled pattern: instruction 0 starts it, saving slot 0 first and slot 1 before
/// `match`.
struct Program: Sendable {
  /// The most instructions a program may have; it bounds the matcher's memory and the
  /// work per input character.
  static let maximumSize = 100_000
  /// The most capture slots all threads of one step may hold (instructions times slots):
  /// many groups in a large program would otherwise take gigabytes.
  static let maximumSlots = 20_000_000

  var instructions: [Instruction] = []
  /// The code points a match can begin with, when every match begins with one (the
  /// program cannot match empty): the matcher skips text where no match can start.
  private(set) var firstChars: CharClass?

  /// The program for `root`, which has `groups` capturing groups.
  init(_ root: Node, pattern: String, groups: Int) throws(GoRegexError) {
    let size = Self.size(root) + 3
    guard size <= Self.maximumSize else {
      throw GoRegexError.tooLarge(pattern, "it compiles to more than \(Self.maximumSize) instructions")
    }
    guard size * 2 * (groups + 1) <= Self.maximumSlots else {
      throw GoRegexError.tooLarge(
        pattern, "its \(groups) groups in \(size) instructions need more than \(Self.maximumSlots) capture slots")
    }
    instructions.reserveCapacity(size)
    instructions.append(.save(0))
    emit(root)
    instructions.append(.save(1))
    instructions.append(.match)
    firstChars = startingChars()
  }

  /// The union of the classes reachable from the start without consuming text, treating
  /// assertions as passable (a superset is safe); nil when `match` is reachable so.
  private func startingChars() -> CharClass? {
    var seen = Array(repeating: false, count: instructions.count)
    var stack = [0]
    var ranges: [ClosedRange<UInt32>] = []
    while let pc = stack.popLast() {
      guard !seen[pc] else { continue }
      seen[pc] = true
      switch instructions[pc] {
      case .chars(let set): ranges += set.ranges
      case .split(let a, let b): stack += [a, b]
      case .jump(let target): stack.append(target)
      case .save, .assertion: stack.append(pc + 1)
      case .fail: break
      case .match: return nil
      }
    }
    return CharClass(ranges)
  }

  /// How many instructions `node` compiles to (as `emit` emits them), or `maximumSize + 1`
  /// for any larger number: nested counted repetitions multiply.
  static func size(_ node: Node) -> Int {
    let cap = maximumSize + 1
    func sum(_ a: Int, _ b: Int) -> Int { min(cap, a + b) }
    func product(_ a: Int, _ b: Int) -> Int {
      let (value, overflow) = a.multipliedReportingOverflow(by: b)
      return overflow ? cap : min(cap, value)
    }
    switch node {
    case .empty: return 0
    case .chars, .assertion: return 1
    case .capture(_, let sub): return sum(2, size(sub))
    case .concat(let subs): return subs.reduce(0) { sum($0, size($1)) }
    case .alternate(let subs): return subs.reduce(2 * (subs.count - 1)) { sum($0, size($1)) }
    case .repetition(let sub, let low, let high, _, _):
      let one = size(sub)
      if high < 0 { return low == 0 ? sum(one, 2) : sum(product(one, low), 1) }
      return sum(product(one, low), product(sum(one, 1), high - low))
    }
  }

  private mutating func add(_ instruction: Instruction) -> Int {
    instructions.append(instruction)
    return instructions.count - 1
  }

  /// A split whose targets are set once both are known.
  private mutating func placeholder() -> Int { add(.fail) }

  /// Sets the split at `at` to prefer `preferred` (the body when greedy) over `other`.
  private mutating func patchSplit(_ at: Int, body: Int, exit: Int, greedy: Bool) {
    instructions[at] = greedy ? .split(body, exit) : .split(exit, body)
  }

  private mutating func emit(_ node: Node) {
    switch node {
    case .empty:
      break
    case .chars(let set):
      _ = add(set.isEmpty ? .fail : .chars(set))
    case .assertion(let kind):
      _ = add(.assertion(kind))
    case .capture(let index, let sub):
      _ = add(.save(2 * index))
      emit(sub)
      _ = add(.save(2 * index + 1))
    case .concat(let subs):
      for sub in subs { emit(sub) }
    case .alternate(let subs):
      // split L1, next; L1: a; jump end; next: split L2, ...; the last has no split.
      var jumps: [Int] = []
      for (k, sub) in subs.enumerated() {
        if k == subs.count - 1 {
          emit(sub)
        } else {
          let split = placeholder()
          emit(sub)
          jumps.append(placeholder())
          instructions[split] = .split(split + 1, instructions.count)
        }
      }
      for jump in jumps { instructions[jump] = .jump(instructions.count) }
    case .repetition(let sub, let low, let high, let greedy, _):
      emitRepetition(sub, low, high, greedy)
    }
  }

  /// Go's expansion: `x{2,}` is `xx+`, `x{2,4}` is `xx(x(x)?)?`, and a star of something
  /// that can match empty is `(x+)?` so that the preferred iteration order holds.
  private mutating func emitRepetition(_ sub: Node, _ low: Int, _ high: Int, _ greedy: Bool) {
    if high < 0 {
      if low == 0 {
        if sub.nullable {
          emitQuest(greedy) { $0.emitPlus(sub, greedy) }
        } else {
          let split = placeholder()
          emit(sub)
          _ = add(.jump(split))
          patchSplit(split, body: split + 1, exit: instructions.count, greedy: greedy)
        }
        return
      }
      for _ in 0..<(low - 1) { emit(sub) }
      emitPlus(sub, greedy)
      return
    }
    for _ in 0..<low { emit(sub) }
    emitOptional(sub, count: high - low, greedy)
  }

  private mutating func emitPlus(_ sub: Node, _ greedy: Bool) {
    let start = instructions.count
    emit(sub)
    let split = placeholder()
    patchSplit(split, body: start, exit: split + 1, greedy: greedy)
  }

  private mutating func emitQuest(_ greedy: Bool, _ body: (inout Program) -> Void) {
    let split = placeholder()
    body(&self)
    patchSplit(split, body: split + 1, exit: instructions.count, greedy: greedy)
  }

  /// `count` nested optional copies, `(x(x)?)?`: every split's exit is the end.
  private mutating func emitOptional(_ sub: Node, count: Int, _ greedy: Bool) {
    var splits: [Int] = []
    for _ in 0..<count {
      splits.append(placeholder())
      emit(sub)
    }
    for split in splits { patchSplit(split, body: split + 1, exit: instructions.count, greedy: greedy) }
  }
}
