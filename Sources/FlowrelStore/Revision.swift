import Foundation
import FlowrelManifest
import FlowrelValue

/// What a revision did to its release.
package enum ReleaseAction: String, Sendable, Hashable, CaseIterable {
  /// The first revision of a release (or the first after an uninstall).
  case install
  /// A new rendering of an installed release.
  case upgrade
  /// The content of an earlier revision, recorded again.
  case rollback
  /// The latest revision's content with its secrets encrypted again to the current
  /// recipients under new data keys (`flowrel secrets rotate`); the cluster is not touched.
  case rotate
  /// The release was removed: its folder is gone, its history stays.
  case uninstall
}

/// The state a revision was recorded in, plus `superseded`, which is derived when reading.
package enum ReleaseStatus: String, Sendable, Hashable, CaseIterable {
  /// Applied to the cluster successfully.
  case deployed
  /// An apply that started and failed.
  case failed
  /// The release was uninstalled by this revision.
  case uninstalled
  /// Recorded without touching the cluster (`--no-apply`): a CD system applies it.
  case recorded
  /// Never stored: a `deployed` or `recorded` revision that a later deployed, recorded or
  /// uninstalled revision replaced.
  case superseded
}

/// The chart a revision was rendered from.
package struct ChartReference: Sendable, Hashable {
  /// The chart's name (`Chart.yaml` `name`).
  package var name: String
  /// The chart's SemVer version.
  package var version: String
  /// The version of the application it deploys (`appVersion`), when the chart gives one.
  package var appVersion: String?

  /// A chart reference from its parts.
  package init(name: String, version: String, appVersion: String? = nil) {
    self.name = name
    self.version = version
    self.appVersion = appVersion
  }
}

/// A revision to record: everything but its number, time and digest, which the store assigns.
package struct NewRevision: Sendable {
  /// The release's name.
  package var release: String
  /// The release's namespace.
  package var namespace: String
  /// What this revision does (`.uninstall` is recorded with `RevisionWriter.recordUninstall`).
  package var action: ReleaseAction
  /// `deployed`, `failed` or `recorded` (`superseded` and `uninstalled` are refused here).
  package var status: ReleaseStatus
  /// The chart it was rendered from.
  package var chart: ChartReference
  /// The user-supplied values (defaults excluded), as given.
  package var values: Value
  /// The rendered objects, in any order (the store keeps install order).
  package var manifests: [Manifest]
  /// The rendered `NOTES.txt`, if the chart has one.
  package var notes: String?
  /// One line for `history` (`Install complete`, `Rollback to 1`).
  package var description: String
  /// Values the chart's schema marks secret; stored encrypted even when no Secret uses them.
  package var secretValuePaths: [ValuePath]
  /// The chart's CRDs (its `crds/` files' objects), stored under `crds/`, never in `manifests`.
  package var crds: [Manifest] = []
  /// The chart's hooks: stored apart from the objects (`hooks/`), never pruned.
  package var hooks: [Hook] = []
  /// The values the templates drew (`RenderOutput.draws`: passwords, keys, UUIDs), stored
  /// encrypted as secrets so that the next render gives the same; nil when none.
  package var draws: Value?

  /// A revision to record.
  package init(
    release: String, namespace: String, action: ReleaseAction, status: ReleaseStatus, chart: ChartReference,
    values: Value, manifests: [Manifest], notes: String? = nil, description: String, secretValuePaths: [ValuePath] = []
  ) {
    self.release = release
    self.namespace = namespace
    self.action = action
    self.status = status
    self.chart = chart
    self.values = values
    self.manifests = manifests
    self.notes = notes
    self.description = description
    self.secretValuePaths = secretValuePaths
  }
}

/// A revision's metadata: what `history` and `list` show, and `get metadata`.
package struct RevisionInfo: Sendable, Hashable {
  /// The release's name.
  package var release: String
  /// The release's namespace.
  package var namespace: String
  /// The revision number: 1, 2, ... without gaps, continuing after an uninstall.
  package var revision: Int
  /// What the revision did.
  package var action: ReleaseAction
  /// Its status; `superseded` when a later revision replaced it.
  package var status: ReleaseStatus
  /// The chart (nil for an uninstall, which renders nothing).
  package var chart: ChartReference?
  /// One line describing the revision.
  package var description: String
  /// When it was recorded (to the second).
  package var time: Date
  /// The flowrel version that recorded it.
  package var flowrelVersion: String
  /// `sha256:` and the hex SHA-256 of the stored values' canonical JSON (secrets in their
  /// encrypted form, so the digest reveals nothing about them); empty for an uninstall.
  package var valuesDigest: String

  /// Metadata from its parts (stores make these; tests and fakes may too).
  package init(
    release: String, namespace: String, revision: Int, action: ReleaseAction, status: ReleaseStatus,
    chart: ChartReference?, description: String, time: Date, flowrelVersion: String, valuesDigest: String
  ) {
    self.release = release
    self.namespace = namespace
    self.revision = revision
    self.action = action
    self.status = status
    self.chart = chart
    self.description = description
    self.time = time
    self.flowrelVersion = flowrelVersion
    self.valuesDigest = valuesDigest
  }
}

/// One revision in full.
package struct Revision: Sendable, Hashable {
  /// Its metadata.
  package var info: RevisionInfo
  /// The user-supplied values: secrets decrypted when the store has an identity, else left
  /// as the stored `ENC[AES256_GCM,...]` strings.
  package var values: Value
  /// The objects in install order: Secret data decrypted when the store has an identity.
  package var manifests: [Manifest]
  /// The rendered notes, if any (`ENC[...]` when they show a secret and there is no identity).
  package var notes: String?
  /// The values stored encrypted: recording these values again keeps them secret.
  package var secretValuePaths: [ValuePath] = []
  /// The CRDs the release installed (its `crds/` folder), in install order.
  package var crds: [Manifest] = []
  /// The chart's hooks, in install order of their objects (`Hook.runOrder` orders an event's).
  package var hooks: [Hook] = []
  /// The values the templates drew, decrypted when the store has an identity (else their
  /// `arguments` and `value` left as `ENC[...]`); nil when none.
  package var draws: Value?

  /// A revision from its parts.
  package init(info: RevisionInfo, values: Value, manifests: [Manifest], notes: String?) {
    self.info = info
    self.values = values
    self.manifests = manifests
    self.notes = notes
  }
}

/// One object that differs between two revisions.
package struct ObjectChange: Sendable, Hashable {
  /// How it changed.
  package enum Kind: String, Sendable, Hashable {
    /// Only in the newer revision.
    case added
    /// Only in the older revision.
    case removed
    /// In both, with different content.
    case changed
  }

  /// Which object.
  package var identity: ObjectIdentity
  /// Its file in the release folder (`manifests/deployment-web.yaml`).
  package var file: String
  /// How it changed.
  package var kind: Kind
  /// The object's text before (nil when added) and after (nil when removed): the stored file,
  /// or for a Secret opened by `SecretReader.revealing` its entries masked or shown. The
  /// unified diff is made from these (`patch(context:)`).
  package var old: String?, new: String?

  /// A change of `identity`'s `file` from `old` to `new` (nil: the side where it is absent).
  package init(identity: ObjectIdentity, file: String, kind: Kind, old: String?, new: String?) {
    self.identity = identity
    self.file = file
    self.kind = kind
    self.old = old
    self.new = new
  }
}
