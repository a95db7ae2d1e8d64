import Foundation
import Testing

@testable import FlowrelStore

/// Our unified diff against `diff -u` on the same texts (hunks compared; headers differ).
@Suite struct UnifiedDiffTests {
  @Test(arguments: 0..<40)
  func hunksMatchDiffU(_ seed: Int) async throws {
    var random = SplitMix64(seed: UInt64(seed) &+ 77)
    let words = ["a", "b", "c", "d", "replicas: 1", "replicas: 2", "", "name: web"]
    let old = (0..<Int(random.next() % 30)).map { _ in words[Int(random.next() % UInt64(words.count))] }
    var new = old
    for _ in 0..<Int(random.next() % 6) {
      let position = new.isEmpty ? 0 : Int(random.next() % UInt64(new.count + 1))
      switch random.next() % 3 {
      case 0: new.insert(words[Int(random.next() % UInt64(words.count))], at: position)
      case 1: if position < new.count { new.remove(at: position) }
      default: if position < new.count { new[position] = "changed \(position)" }
      }
    }
    let oldText = old.map { $0 + "\n" }.joined(), newText = new.map { $0 + "\n" }.joined()
    let scratch = try Scratch()
    let a = try scratch.write("a", Array(oldText.utf8)), b = try scratch.write("b", Array(newText.utf8))
    let reference = try run("/usr/bin/env", ["diff", "-u", a, b]).output
    let ours = UnifiedDiff.patch(file: "f", old: oldText, new: newText)
    func hunks(_ patch: String) -> [Substring] { patch.split(separator: "\n", omittingEmptySubsequences: false).drop { !$0.hasPrefix("@@") }.map { $0 } }
    // Both are shortest edit scripts; where several exist they may pick different ones, so
    // compare what each hunk header claims and that applying ours gives the new text.
    #expect(hunks(ours).filter { $0.hasPrefix("+") }.count == hunks(reference).filter { $0.hasPrefix("+") }.count)
    #expect(hunks(ours).filter { $0.hasPrefix("-") }.count == hunks(reference).filter { $0.hasPrefix("-") }.count)
    #expect(apply(ours, to: old) == new)
    #expect(ours.isEmpty == (oldText == newText))
  }

  @Test func hugeChangesFallBackToRemoveAndAddWithoutATable() async throws {
    let old = (0..<3000).map { "old \($0)" }, new = (0..<3000).map { "new \($0)" }
    let patch = UnifiedDiff.patch(file: "f", old: old.joined(separator: "\n") + "\n", new: new.joined(separator: "\n") + "\n")
    #expect(apply(patch, to: old) == new)
    #expect(patch.contains("@@ -1,3000 +1,3000 @@\n-old 0\n"))
  }

  /// Applies a unified diff to `lines`, checking every context and removed line.
  func apply(_ patch: String, to lines: [String]) -> [String]? {
    var out: [String] = [], position = 0
    for line in patch.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2) where !line.isEmpty || position < lines.count {
      if line.hasPrefix("@@") {
        guard let match = line.firstMatch(of: #/@@ -(\d+)(?:,(\d+))? /#), let start = Int(match.1) else { return nil }
        let count = match.2.flatMap { Int($0) } ?? 1
        let target = count == 0 ? start : start - 1
        guard target >= position, target <= lines.count else { return nil }
        out += lines[position..<target]
        position = target
      } else if line.hasPrefix("+") {
        out.append(String(line.dropFirst()))
      } else if line.hasPrefix("-") || line.hasPrefix(" ") {
        guard position < lines.count, lines[position] == line.dropFirst() else { return nil }
        if line.hasPrefix(" ") { out.append(lines[position]) }
        position += 1
      } else if line.isEmpty {
        continue
      } else {
        return nil
      }
    }
    return out + lines[position...]
  }
}
