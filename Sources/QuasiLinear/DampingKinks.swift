import LarmorCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension FastModeDamping {
  /// The cosines ξ ∈ (0, 1) where the active branch of k_c(ξ) = min(ceiling, k_max, sharp,
  /// viscous, collisionless) changes, i.e. the kinks of the support boundary of damped fast
  /// modes (k_max and the cut-offs in 1/L). Found on 4000 geometric/uniform samples and refined
  /// by bisection to 1e-13; used as ξ panel edges so no panel straddles a kink.
  func kinks(minimumWavenumber kMin: Double, maximumWavenumber kMax: Double) -> [Double] {
    func branch(_ ξ: Double) -> Int {
      var best = min(Self.ceiling * kMin, kMax)
      var index = 0
      if let sharp = sharpCutoff, sharp * kMin < best { best = sharp * kMin; index = 1 }
      var single = self
      single.sharpCutoff = nil
      single.collisionless = nil
      if viscousScale != nil {
        let x = single.cutoff(cosine: ξ, minimumWavenumber: kMin)
        if x < best { best = x; index = 2 }
      }
      if collisionless != nil {
        single.viscousScale = nil
        single.collisionless = collisionless
        let x = single.cutoff(cosine: ξ, minimumWavenumber: kMin)
        if x < best { best = x; index = 3 }
      }
      return index
    }
    var samples = (1..<2000).map { Double($0) / 2000 }
    samples += (1...60).flatMap { j -> [Double] in let g = pow(2, -Double(j) / 3); return [g, 1 - g] }
    samples = samples.filter { $0 > 0 && $0 < 1 }.sorted()
    var kinks = [Double]()
    for i in 1..<samples.count {
      var (lo, hi) = (samples[i - 1], samples[i])
      let left = branch(lo)
      guard branch(hi) != left else { continue }
      while hi - lo > 1e-13 {
        let mid = (lo + hi) / 2
        if branch(mid) == left { lo = mid } else { hi = mid }
      }
      kinks.append((lo + hi) / 2)
    }
    return kinks
  }
}
