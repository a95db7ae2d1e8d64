import FlowrelActions
import Foundation
import Testing

/// `-o table` pads ASCII cells as bytes (for speed) and every other cell with Foundation: the
/// text must be what Foundation's padding and trimming make of every cell.
@Suite struct TableFormatTests {
  /// Foundation's way, cell by cell: the reference.
  func foundationTable(_ lines: [[String]]) -> String {
    let widths = lines[0].indices.map { column in lines.map { $0[column].count }.max() ?? 0 }
    return lines.map { line in
      let cells = line.enumerated().map { index, cell in
        index == line.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
      }
      return cells.joined(separator: "\t").trimmingCharacters(in: .whitespaces) + "\n"
    }.joined()
  }

  @Test(arguments: [
    [["NAME", "REVISION", "STATUS"], ["web", "12", "deployed"], ["a", "1", "failed"]],
    // Empty cells at either end (trimmed), a cell wider than its title.
    [["NAME", "REVISION", "DESCRIPTION"], ["", "3", ""], ["a-much-longer-name", "10004", "Upgrade complete"]],
    // Non-ASCII: accents, a combining mark, an emoji (more UTF-16 units than characters), a
    // no-break space at the end of the line.
    [["NAME", "CHART", "DESCRIPTION"], ["café", "flow-0.1.0", "ok\u{00A0}"], ["e\u{0301}t\u{00E9}", "🚀-1", "x"]],
  ])
  func tablesAreWhatFoundationsPaddingMakes(_ lines: [[String]]) throws {
    let table = Table(columns: lines[0], rows: Array(lines.dropFirst()))
    #expect(try table.formatted(.table) == foundationTable(lines))
  }
}
