import Foundation
import FlowrelGit
import Testing

@Suite struct TreeTests {
  @Test func writesNestedFoldersAndReplacesOneLeavingOthersIntact() throws {
    let box = try Sandbox()
    let repo = try Repository.create(at: box.path("store.git"), bare: true, initialBranch: "main")
    let web1 = try repo.writeTree(
      replacingFolder: "releases/ns/web", in: nil,
      with: ["release.yaml": bytes("revision: 1\n"), "manifests/deployment-web.yaml": bytes("kind: Deployment\n"),
             "manifests/service-web.yaml": bytes("kind: Service\n")])
    let both = try repo.writeTree(
      replacingFolder: "releases/ns/api", in: web1, with: ["release.yaml": bytes("revision: 1\n")])
    let web2 = try repo.writeTree(
      replacingFolder: "releases/ns/web", in: both,
      with: ["release.yaml": bytes("revision: 2\n"), "manifests/deployment-web.yaml": bytes("kind: Deployment\n")])

    let listing = try box.git(["ls-tree", "-r", "--name-only", web2.hex], in: box.path("store.git"))
    #expect(listing == """
      releases/ns/api/release.yaml
      releases/ns/web/manifests/deployment-web.yaml
      releases/ns/web/release.yaml

      """)
    #expect(try repo.entryID(at: "releases/ns/api", inTree: web2) == repo.entryID(at: "releases/ns/api", inTree: both))
    #expect(try repo.readFolder("releases/ns/web", inTree: web2) == [
      "release.yaml": bytes("revision: 2\n"), "manifests/deployment-web.yaml": bytes("kind: Deployment\n"),
    ])
    #expect(try repo.files(under: "releases/ns/web", inTree: web1) == [
      "manifests/deployment-web.yaml", "manifests/service-web.yaml", "release.yaml",
    ])
    #expect(try repo.files(under: "", inTree: both).count == 4)
    #expect(try box.git(["cat-file", "-p", "\(web2.hex):releases/ns/web/release.yaml"], in: box.path("store.git"))
      == "revision: 2\n")
    try box.expectFsckClean(box.path("store.git"))
  }

  @Test func entriesAreInGitsOrderWithFoldersSortedAsIfEndingInASlash() throws {
    let box = try Sandbox()
    let repo = try Repository.create(at: box.path("store.git"), bare: true, initialBranch: "main")
    let tree = try repo.writeTree(
      replacingFolder: "ns", in: nil,
      with: ["a0": bytes("1\n"), "a/x": bytes("2\n"), "a.b": bytes("3\n"), "a-": bytes("4\n"), "B": bytes("5\n")])
    let folder = try #require(try repo.entryID(at: "ns", inTree: tree))
    let listing = try box.git(["ls-tree", folder.hex], in: box.path("store.git"))
    #expect(listing.split(separator: "\n").map { $0.split(separator: "\t").last.map(String.init) } == ["B", "a-", "a.b", "a", "a0"])
    // git's own tree writer, given the same entries, names the same tree.
    #expect(try box.git(["mktree"], in: box.path("store.git"), input: listing) == folder.hex + "\n")
    try box.expectFsckClean(box.path("store.git"))
  }

  @Test func anEmptyMapRemovesTheFolderAndParentsItEmpties() throws {
    let box = try Sandbox()
    let repo = try Repository.create(at: box.path("store.git"), bare: true, initialBranch: "main")
    let base = try repo.writeTree(replacingFolder: "ns/web", in: nil, with: ["a.yaml": bytes("a\n")])
    let withTop = try repo.writeTree(replacingFolder: "", in: nil, with: ["README": bytes("hi\n"), "ns/web/a.yaml": bytes("a\n")])
    #expect(try repo.entryID(at: "ns", inTree: withTop) == repo.entryID(at: "ns", inTree: base))

    let emptied = try repo.writeTree(replacingFolder: "ns/web", in: withTop, with: [:])
    #expect(try box.git(["ls-tree", "-r", "-t", "--name-only", emptied.hex], in: box.path("store.git")) == "README\n")
    let nothing = try repo.writeTree(replacingFolder: "ns/web", in: base, with: [:])
    #expect(nothing.hex == "4b825dc642cb6eb9a060e54bf8d69288fbee4904")  // git's empty tree
    #expect(try repo.files(under: "ns/web", inTree: nothing) == [])
  }

  @Test func aFolderReplacesAFileAtItsPathAndKeepsItsUnchangedObjects() throws {
    let box = try Sandbox()
    let repo = try Repository.create(at: box.path("store.git"), bare: true, initialBranch: "main")
    let base = try repo.writeTree(replacingFolder: "ns", in: nil, with: ["web": bytes("a file\n"), "api/x": bytes("x\n")])
    let tree = try repo.writeTree(replacingFolder: "ns/web", in: base, with: ["a.yaml": bytes("a\n")])
    #expect(try box.git(["ls-tree", "-r", "--name-only", tree.hex], in: box.path("store.git")) == "ns/api/x\nns/web/a.yaml\n")
    // Rewriting a folder with what it holds already gives the same trees.
    #expect(try repo.writeTree(replacingFolder: "ns", in: tree, with: ["web/a.yaml": bytes("a\n"), "api/x": bytes("x\n")]) == tree)
    try box.expectFsckClean(box.path("store.git"))
  }

  @Test func refusesPathsGitCannotStoreOrThatEscapeTheFolder() throws {
    let box = try Sandbox()
    let repo = try Repository.create(at: box.path("store.git"), bare: true, initialBranch: "main")
    for bad in ["../x", "a//b", ".git/config", "a/./b", "/abs", "dir/"] {
      let error = #expect(throws: GitError.self) {
        try repo.writeTree(replacingFolder: "ns/web", in: nil, with: [bad: bytes("x")])
      }
      #expect(error?.reason == .invalid)
      #expect(error?.message.contains("'\(bad)'") == true)
    }
    let conflict = #expect(throws: GitError.self) {
      try repo.writeTree(replacingFolder: "ns", in: nil, with: ["a": bytes("1"), "a/b": bytes("2")])
    }
    #expect(conflict?.message.hasSuffix("is both a file and a folder in the files to write") == true)
    #expect(throws: GitError.self) { try repo.writeTree(replacingFolder: "../up", in: nil, with: [:]) }
  }

  @Test func readingAFileThatIsMissingOrAFolderFails() throws {
    let box = try Sandbox()
    let repo = try Repository.create(at: box.path("store.git"), bare: true, initialBranch: "main")
    let tree = try repo.writeTree(replacingFolder: "ns/web", in: nil, with: ["a.yaml": bytes("a\n")])
    #expect(try repo.readFile("ns/web/a.yaml", inTree: tree) == bytes("a\n"))
    let missing = #expect(throws: GitError.self) { try repo.readFile("ns/web/b.yaml", inTree: tree) }
    #expect(missing?.reason == .notFound)
    #expect(missing?.message.hasPrefix("no file 'ns/web/b.yaml' in tree \(tree.short)") == true)
    let folder = #expect(throws: GitError.self) { try repo.readFile("ns/web", inTree: tree) }
    #expect(folder?.message == "'ns/web' is a folder, not a file, in tree \(tree.short)")
    #expect(throws: GitError.self) { try repo.files(under: "ns/web/a.yaml", inTree: tree) }
    #expect(try repo.entryID(at: "ns/api", inTree: tree) == nil)
  }
}

@Suite struct BlobTests {
  @Test func aBlobWrittenTwiceHasOneIDAndIsStoredOnce() throws {
    let box = try Sandbox()
    let repo = try Repository.create(at: box.path("store.git"), bare: true, initialBranch: "main")
    let first = try repo.writeBlob(bytes("kind: ConfigMap\n"))
    let second = try repo.writeBlob(bytes("kind: ConfigMap\n"))
    #expect(first == second)
    let cli = try box.git(["hash-object", "--stdin"], in: box.path("store.git"), input: "kind: ConfigMap\n")
    #expect(first.hex + "\n" == cli)
    #expect(try repo.blob(first) == bytes("kind: ConfigMap\n"))
    #expect(try repo.writeBlob([]).hex == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391")  // git's empty blob
    // One file per object and no temporary files left behind.
    let folder = box.path("store.git/objects/" + String(first.hex.prefix(2)))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [String(first.hex.dropFirst(2))])
    try box.expectFsckClean(box.path("store.git"))
  }

  @Test func aBlobThatIsPackedAlreadyIsNotWrittenAgain() throws {
    let box = try Sandbox()
    let repo = try Repository.create(at: box.path("store.git"), bare: true, initialBranch: "main")
    try repo.commitFolder("ns/web", ["a.yaml": "a\n", "b.yaml": "b\n"], message: "web", at: 1)
    try box.git(["gc", "--quiet"], in: box.path("store.git"))
    #expect(try box.git(["count-objects"], in: box.path("store.git")).hasPrefix("0 objects"))
    let tree = try repo.writeTree(replacingFolder: "ns/web", in: repo.commitID(of: "main"),
                                  with: ["a.yaml": bytes("a\n"), "b.yaml": bytes("b\n")])
    #expect(tree == (try repo.treeID(of: "main")))
    #expect(try box.git(["count-objects"], in: box.path("store.git")).hasPrefix("0 objects"))
    // A new blob still lands as a loose object next to the pack.
    let new = try repo.writeBlob(bytes("c\n"))
    #expect(try box.git(["cat-file", "-p", new.hex], in: box.path("store.git")) == "c\n")
    #expect(try box.git(["count-objects"], in: box.path("store.git")).hasPrefix("1 objects"))
  }
}
