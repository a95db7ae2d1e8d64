import FlowrelChart
import FlowrelStore

extension RenderRequest {
  /// Gives the render the values `installed` drew (passwords, keys, UUIDs kept from render to
  /// render), unless `regenerate` asks for new ones. Draws read without an identity are
  /// refused before anything renders: their ciphertext would reach the objects.
  mutating func reuseDraws(of installed: InstalledRevision?, regenerate: Bool) throws(StoreError) {
    guard !regenerate, let draws = installed?.draws else {
      self.draws = nil
      return
    }
    try SecretProtection.requireDecrypted(draws: draws)
    self.draws = draws
  }
}
