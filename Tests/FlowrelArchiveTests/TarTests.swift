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
