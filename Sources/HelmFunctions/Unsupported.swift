import GoTemplate

// Functions flowrel knows but does not provide: certificate and key generation, encryption,
// password hashing and TOML. They exist so that a chart using one gets one clear error
// instead of a parse error about an unknown function.

extension Library {
  mutating func addUnsupported() {
    let material = "create the material outside the chart and pass it in through values or an existing Secret"
    let unsupported: [(names: [String], what: String, instead: String)] = [
      (["genCA", "genCAWithKey", "genSelfSignedCert", "genSelfSignedCertWithKey", "genSignedCert", "genSignedCertWithKey",
        "buildCustomCert"], "generates certificates", material),
      (["genPrivateKey"], "generates keys", material),
      (["encryptAES", "decryptAES"], "encrypts and decrypts", material),
      (["bcrypt", "htpasswd", "derivePassword"], "hashes or derives passwords", material),
      (["toToml", "fromToml"], "reads and writes TOML", "use toYaml, fromYaml, toJson or fromJson"),
    ]
    for (names, what, instead) in unsupported {
      for name in names {
        add(name, plain: { _ in throw failure("flowrel does not support \(name) (it \(what)): \(instead)") })
      }
    }
  }
}
