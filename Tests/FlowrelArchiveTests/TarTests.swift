import Foundation
import Testing
@testable import FlowrelArchive

/// Archives are made by Python's `tarfile`, an independent writer, in each format it knows.
private func makeArchive(_ script: String) throws -> [UInt8] {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("flowrel-tar-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: dir) }
  let out = dir.appendingPathComponent("out.tgz")
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["python3", "-c", """
    import io, sys, tarfile
    out = sys.argv[1]
    def add(t, name, data, **kw):
        info = tarfile.TarInfo(name)
        info.size = len(data)
        for k, v in kw.items(): setattr(info, k, v)
        t.addfile(info, io.BytesIO(data))
    \(script)
    """, out.path]
  try process.run()
  process.waitUntilExit()
  #expect(process.terminationStatus == 0, "python3 failed to write the archive")
  return try [UInt8](Data(contentsOf: out))
}

@Suite struct TarTests {
  @Test(arguments: ["USTAR_FORMAT", "GNU_FORMAT", "PAX_FORMAT"])
  func readsRegularFilesInOrder(format: String) throws {
    let longName = "flow/templates/" + String(repeating: "deep/", count: 30) + "x.yaml"
    let archive = try makeArchive("""
      with tarfile.open(out, "w:gz", format=tarfile.\(format)) as t:
          d = tarfile.TarInfo("flow/templates"); d.type = tarfile.DIRTYPE; t.addfile(d)
          add(t, "flow/Chart.yaml", b"name: flow\\n")
          add(t, "./flow/values.yaml", b"")
          add(t, "\(longName)", b"kind: ConfigMap\\n")
      """)
    let entries = try Tar.readGzipped(archive)
    #expect(entries == [
      ArchiveEntry(path: "flow/Chart.yaml", contents: Array("name: flow\n".utf8)),
      ArchiveEntry(path: "flow/values.yaml", contents: []),
      ArchiveEntry(path: longName, contents: Array("kind: ConfigMap\n".utf8)),
    ])
  }

  @Test func bigFilesSurviveTheirPadding() throws {
    let archive = try makeArchive("""
      with tarfile.open(out, "w:gz") as t:
          add(t, "a/big", bytes(range(256)) * 4000)
          add(t, "a/small", b"x")
      """)
    let entries = try Tar.readGzipped(archive)
    #expect(entries.map(\.path) == ["a/big", "a/small"])
    #expect(entries[0].contents.count == 1_024_000)
    #expect(entries[0].contents[1000] == UInt8(1000 % 256))
  }

  @Test(arguments: [
    ("add(t, '../evil', b'x')", "outside the chart's folder"),
    ("add(t, '/etc/passwd', b'x')", "outside the chart's folder"),
    ("add(t, 'flow/../../evil', b'x')", "outside the chart's folder"),
    ("add(t, 'flow/link', b'', type=tarfile.SYMTYPE, linkname='/etc/passwd')", "is a link"),
    ("add(t, 'flow/fifo', b'', type=tarfile.FIFOTYPE)", "tar type '6'"),
  ])
  func refusesEntriesThatEscapeOrAreNotFiles(line: String, message: String) throws {
    let archive = try makeArchive("""
      with tarfile.open(out, "w:gz") as t:
          \(line)
      """)
    #expect {
      _ = try Tar.readGzipped(archive)
    } throws: { error in
      (error as? ArchiveError)?.message.contains(message) == true
    }
  }

  @Test func limitsStopArchiveBombs() throws {
    let archive = try makeArchive("""
      with tarfile.open(out, "w:gz") as t:
          add(t, "a", bytes(3000))
          add(t, "b", bytes(3000))
      """)
    #expect(archive.count < 1000, "zeros compress well: the bomb is small")
    #expect(throws: ArchiveError("a holds 3000 bytes, more than the 2000 allowed for one file")) {
      _ = try Tar.readGzipped(archive, limits: .init(totalBytes: 10_000, fileBytes: 2000))
    }
    #expect(throws: ArchiveError("the archive's files hold more than the 5000 bytes allowed")) {
      _ = try Tar.readGzipped(archive, limits: .init(totalBytes: 5000, fileBytes: 4000))
    }
    #expect(throws: ArchiveError.self) { _ = try Gzip.decompress(archive, limit: 4096) }
  }

  @Test func damagedInputIsAClearErrorNotACrash() throws {
    let archive = try makeArchive("""
      with tarfile.open(out, "w:gz") as t:
          add(t, "flow/Chart.yaml", b"name: flow\\n" * 100)
      """)
    #expect(throws: ArchiveError.self) { _ = try Tar.readGzipped(Array(archive.prefix(archive.count / 2))) }
    #expect(throws: ArchiveError.self) { _ = try Tar.readGzipped(Array("name: flow\n".utf8)) }
    #expect(throws: ArchiveError.self) { _ = try Tar.readGzipped([]) }
    var tar = try Gzip.decompress(archive, limit: 1 << 20)
    tar[10] ^= 0xFF
    #expect {
      _ = try Tar.read(tar)
    } throws: { error in
      (error as? ArchiveError)?.message.contains("checksum") == true
    }
    // Seeded garbage: every prefix and flipped byte must end in a result or an error.
    var state: UInt64 = 42
    for _ in 0..<300 {
      state = state &* 6364136223846793005 &+ 1442695040888963407
      var damaged = tar
      damaged[Int(state >> 33) % damaged.count] = UInt8(truncatingIfNeeded: state >> 17)
      _ = try? Tar.read(damaged)
      _ = try? Tar.read(Array(tar.prefix(Int(state >> 40) % tar.count)))
    }
  }

  @Test func concatenatedGzipMembersAreOneStream() throws {
    let first = try makeArchive("""
      import gzip
      open(out, "wb").write(gzip.compress(b"hello ") + gzip.compress(b"world"))
      """)
    #expect(try Gzip.decompress(first, limit: 100) == Array("hello world".utf8))
  }
}

/// A tar header block written byte by byte, so a test can put values no tar writer would.
/// `size` is the raw 12-byte size field; the checksum is computed as tar defines it (the sum
/// of all header bytes with the checksum field read as spaces).
private func headerBlock(name: String, type: Character, size: [UInt8]) -> [UInt8] {
  var block = [UInt8](repeating: 0, count: 512)
  block.replaceSubrange(0..<name.utf8.count, with: name.utf8)
  block.replaceSubrange(100..<108, with: Array("0000644\0".utf8))
  block.replaceSubrange(124..<136, with: size)
  block[156] = UInt8(ascii: type.unicodeScalars.first ?? "0")
  block.replaceSubrange(257..<263, with: Array("ustar\0".utf8))
  block.replaceSubrange(148..<156, with: [UInt8](repeating: 32, count: 8))
  let sum = block.reduce(0) { $0 + Int($1) }
  block.replaceSubrange(148..<156, with: Array(String(format: "%06o\0 ", sum).utf8))
  return block
}

/// An octal size field of `size`, as ustar writes it.
private func octalSize(_ size: Int) -> [UInt8] { Array(String(format: "%011o\0", size).utf8) }

/// One entry: its header and its body padded to whole blocks.
private func entry(_ name: String, type: Character = "0", _ body: [UInt8]) -> [UInt8] {
  headerBlock(name: name, type: type, size: octalSize(body.count)) + body
    + [UInt8](repeating: 0, count: (512 - body.count % 512) % 512)
}

/// The end-of-archive marker: two zero blocks.
private let endBlocks = [UInt8](repeating: 0, count: 1024)

/// Inputs found by fuzzing (issue 18) and by reading the reader for the same kinds of fault:
/// each must be an `ArchiveError`, never a runtime trap.
@Suite struct TarHostileInputTests {
  private func expectArchiveError(_ tar: [UInt8], containing message: String) {
    #expect {
      _ = try Tar.read(tar)
    } throws: { error in
      (error as? ArchiveError)?.message.contains(message) == true
    }
  }

  @Test func base256SizeNearIntMaxIsAnError() {
    // GNU base-256: high bit set, then big-endian bytes; 0x7FFFFFFFFFFFFEFF overflowed
    // `bodyStart + size`.
    let size: [UInt8] = [0x80, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE, 0xFF]
    let tar = headerBlock(name: "flow/Chart.yaml", type: "0", size: size) + endBlocks
    expectArchiveError(tar, containing: "claims 9223372036854775551 bytes but the archive ends first")
  }

  @Test func base256SizeWiderThanIntIsAnError() {
    let size: [UInt8] = [0x80] + [UInt8](repeating: 0xFF, count: 11)
    let tar = headerBlock(name: "flow/Chart.yaml", type: "0", size: size) + endBlocks
    expectArchiveError(tar, containing: "has a size too large to read")
  }

  @Test(arguments: [
    ("9223372036854775807 path=x\n", "malformed"),  // overflowed `index + length`
    ("1 path=x\n", "malformed"),  // the record would end before its own space
    ("2 path=x\n", "malformed"),
    ("-5 path=x\n", "malformed"),
    ("11 path=abc", "malformed"),  // no final newline
    ("9 pathx1\n", "without '='"),
  ])
  func malformedPAXRecordIsAnError(record: String, message: String) {
    let tar = entry("PaxHeader", type: "x", Array(record.utf8)) + entry("flow/Chart.yaml", Array("name: flow\n".utf8))
      + endBlocks
    expectArchiveError(tar, containing: message)
  }

  @Test func wellFormedPAXPathIsUsed() throws {
    let tar = entry("PaxHeader", type: "x", Array("23 path=flow/long.yaml\n".utf8))
      + entry("flow/short", Array("x".utf8)) + endBlocks
    #expect(try Tar.read(tar) == [ArchiveEntry(path: "flow/long.yaml", contents: Array("x".utf8))])
  }

  @Test func lastEntryWithoutPaddingIsAnError() {
    // The body fits but its padding is cut off, which left the reader's offset past the end.
    let tar = headerBlock(name: "flow/Chart.yaml", type: "0", size: octalSize(11)) + Array("name: flow\n".utf8)
    expectArchiveError(tar, containing: "ends in the middle of an entry")
  }

  @Test(arguments: ["x", "L", "g"] as [Character])
  func oversizedNameOrAttributeEntryIsAnError(type: Character) {
    let tar = entry("meta", type: type, [UInt8](repeating: 0, count: Tar.metadataLimit + 1)) + endBlocks
    expectArchiveError(tar, containing: "more than the 1048576 allowed")
  }

  @Test func unlimitedTotalDoesNotOverflow() throws {
    let tar = entry("flow/Chart.yaml", Array("name: flow\n".utf8)) + endBlocks
    let gzipped = try makeArchive("""
      import gzip
      open(out, "wb").write(gzip.compress(bytes([\(tar.map(String.init).joined(separator: ","))])))
      """)
    let entries = try Tar.readGzipped(gzipped, limits: .init(totalBytes: .max, fileBytes: .max))
    #expect(entries.map(\.path) == ["flow/Chart.yaml"])
  }

  @Test func manyGzipMembersAreReadInPlace() throws {
    // Each member used to copy the rest of the input; the bytes must still come out in order.
    let members = try makeArchive("""
      import gzip
      open(out, "wb").write(b"".join(gzip.compress(b"%d," % i) for i in range(20000)))
      """)
    let expected = (0..<20000).map { "\($0)," }.joined()
    #expect(try Gzip.decompress(members, limit: 1 << 20) == Array(expected.utf8))
  }
}
