/// A Pike VM: all threads of the program advance together over the text, one code point
/// at a time, in priority order, so the first match found is Go's leftmost-first match and
/// the work is linear in the text times the program size.
struct Matcher {
  let program: Program
  /// The UTF-8 bytes of the text.
  let text: [UInt8]
  /// Buffers kept from one search to the next (FindAll and ReplaceAll search many times).
  private var buffers: (current: Threads, next: Threads, stack: [(Int, [Int])])

  init(program: Program, text: [UInt8]) {
    self.program = program
    self.text = text
    let threads = Threads(size: program.instructions.count)
    buffers = (threads, threads, [])
  }

  /// The threads at one position, in priority order, each with its capture slots.
  private struct Threads {
    var pcs: [Int] = []
    var captures: [[Int]] = []
    /// `marks[pc] == generation` when `pc` was already reached at this position.
    var marks: [Int]
    var generation = 1

    init(size: Int) { marks = Array(repeating: 0, count: size) }

    mutating func clear() {
      pcs.removeAll(keepingCapacity: true)
      captures.removeAll(keepingCapacity: true)
      generation += 1
    }
  }

  /// The code point at byte offset `at` and its length; nil at the end.
  private func decode(_ at: Int) -> (UInt32, Int)? {
    guard at < text.count else { return nil }
    let b0 = UInt32(text[at])
    if b0 < 0x80 { return (b0, 1) }
    // The text came from a Swift string, so it is valid UTF-8.
    func continuation(_ k: Int) -> UInt32 { at + k < text.count ? UInt32(text[at + k]) & 0x3F : 0 }
    if b0 < 0xE0 { return ((b0 & 0x1F) << 6 | continuation(1), 2) }
    if b0 < 0xF0 { return ((b0 & 0x0F) << 12 | continuation(1) << 6 | continuation(2), 3) }
    return ((b0 & 0x07) << 18 | continuation(1) << 12 | continuation(2) << 6 | continuation(3), 4)
  }

  /// The code point that ends just before byte offset `at`; nil at the start.
  private func decodeBefore(_ at: Int) -> UInt32? {
    guard at > 0 else { return nil }
    var start = at - 1
    while start > 0, text[start] & 0xC0 == 0x80 { start -= 1 }
    return decode(start)?.0
  }

  private static func holds(_ kind: Assertion, before: UInt32?, after: UInt32?) -> Bool {
    switch kind {
    case .beginText: return before == nil
    case .endText: return after == nil
    case .beginLine: return before == nil || before == 10
    case .endLine: return after == nil || after == 10
    case .wordBoundary, .noWordBoundary:
      let boundary = (before.map(NamedClasses.isWord) ?? false) != (after.map(NamedClasses.isWord) ?? false)
      return boundary == (kind == .wordBoundary)
    }
  }

  /// Adds the thread at `pc` and everything it reaches without consuming text, in priority
  /// order (depth first, the preferred branch of a split first).
  private func add(
    _ threads: inout Threads, _ pc: Int, _ captures: [Int], at position: Int, before: UInt32?, after: UInt32?,
    stack: inout [(Int, [Int])]
  ) {
    stack.append((pc, captures))
    while let (pc, captures) = stack.popLast() {
      guard threads.marks[pc] != threads.generation else { continue }
      threads.marks[pc] = threads.generation
      switch program.instructions[pc] {
      case .jump(let target):
        stack.append((target, captures))
      case .split(let preferred, let other):
        stack.append((other, captures))
        stack.append((preferred, captures))
      case .save(let slot):
        var updated = captures
        if slot < updated.count { updated[slot] = position }
        stack.append((pc + 1, updated))
      case .assertion(let kind):
        if Self.holds(kind, before: before, after: after) { stack.append((pc + 1, captures)) }
      case .fail:
        break
      case .chars, .match:
        threads.pcs.append(pc)
        threads.captures.append(captures)
      }
    }
  }

  /// The leftmost-first match starting at or after byte offset `start`: `slots` capture
  /// positions (-1 for a group that did not take part), or nil. With `slots` 0 it stops at
  /// the first match of any kind and answers an empty array.
  mutating func search(from start: Int, slots: Int) -> [Int]? {
    // The buffers are moved out for the search and back after it, so that they stay
    // uniquely referenced (no copy on write) while the search changes them.
    var (current, next, stack) = buffers
    buffers = (Threads(size: 0), Threads(size: 0), [])
    defer { buffers = (current, next, stack) }
    current.clear()
    next.clear()
    stack.removeAll(keepingCapacity: true)
    var matched: [Int]?
    let empty = Array(repeating: -1, count: slots)
    var position = start
    var before = decodeBefore(start)
    var here = decode(start)
    while true {
      if matched == nil {
        if current.pcs.isEmpty, let first = program.firstChars {
          // No thread is running: skip to where a match can begin.
          while let (c, width) = here, !first.contains(c) {
            before = c
            position += width
            here = decode(position)
          }
          if here == nil { break }
        }
        add(&current, 0, empty, at: position, before: before, after: here?.0, stack: &stack)
      }
      if current.pcs.isEmpty, matched != nil { break }
      let nextPosition = position + (here?.1 ?? 0)
      let after = here == nil ? nil : decode(nextPosition)
      threads: for k in current.pcs.indices {
        switch program.instructions[current.pcs[k]] {
        case .match:
          if slots == 0 { return [] }
          // A match cuts off every thread of lower priority.
          matched = current.captures[k]
          break threads
        case .chars(let set):
          if let (c, _) = here, set.contains(c) {
            add(&next, current.pcs[k] + 1, current.captures[k], at: nextPosition, before: c, after: after?.0, stack: &stack)
          }
        default:
          break
        }
      }
      guard let (c, _) = here else { break }
      swap(&current, &next)
      next.clear()
      position = nextPosition
      before = c
      here = after
    }
    return matched
  }
}
