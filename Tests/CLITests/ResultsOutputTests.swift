import Foundation
import LarmorIO
import Testing

/// `--out` files hold everything `--json` prints: the file, read back with `ResultsFile.read`,
/// equals the printed JSON key by key at every depth, with the provenance and sections beside it.
/// Numbers agree to 1e-15 relative: the file is exact, but Foundation's JSON parser on Linux rounds
/// some decimals one ulp off (0.3164749822772981 parses as …82); `ResultsFileTests` checks the file
/// bitwise, and the Python package's tests compare with a correctly rounded parser.
@Suite(.serialized) struct ResultsOutputTests {
  func printedAndStored(_ arguments: [String], out: String) throws -> (json: ResultValue, file: ResultsFile.Document) {
    let (status, stdout, stderr) = try runLarmor(arguments + ["--json", "--out", out])
    #expect(status == 0, "\(stderr)")
    let json = ResultValue(json: try JSONSerialization.jsonObject(with: Data(stdout.utf8)))
    return (json, try ResultsFile.read(out))
  }

  @Test func traceFileEqualsItsJSON() throws {
    let spec = try writeSpec(smallRun, name: "results-trace")
    let out = spec + ".h5"
    let (json, file) = try printedAndStored(["trace", spec, "--threads", "2", "--save-orbits", "3"], out: out)
    let difference = ResultValue.record(file.result).firstDifference(from: json, relativeTolerance: 1e-15)
    #expect(difference == nil, "\(difference ?? "")")
    #expect(json.recordFields.count >= 40)  // the whole object, not a few tables
    #expect(file.command == "trace")
    #expect(file.rigidities == [0.05, 0.2])
    #expect(file.provenance["run_spec"] == .text(try String(contentsOfFile: spec, encoding: .utf8)))
    // Saved orbits: 3 particles × (sample rows incl. t = 0) × (t, x, y, z, vx, vy, vz), |v| = 1.
    guard case .list(let perRigidity)? = file.sections["orbits"]?.result["orbits"],
      case .list(let particles) = perRigidity[0], case .list(let rows) = particles[0], case .list(let first) = rows[0]
    else { Issue.record("no orbits section"); return }
    let times = json.recordFields["times"].flatMap { if case .list(let l) = $0, case .list(let t) = l[0] { t.count } else { nil } }
    #expect(particles.count == 3)
    #expect(rows.count == (times ?? -1) + 1)
    #expect(first.count == 7)
    if case .list(let last) = rows[rows.count - 1] {
      let v = last[4...6].map(\.numberValue)
      #expect(abs((v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).squareRoot() - 1) < 1e-12)
    }
  }

  @Test func compareFileEqualsItsJSONAndHoldsTheTrace() throws {
    let spec = try writeSpec(movingSlabRun, name: "results-compare")
    let out = spec + ".h5"
    let (json, file) = try printedAndStored(["compare", spec, "--threads", "2"], out: out)
    let difference = ResultValue.record(file.result).firstDifference(from: json, relativeTolerance: 1e-15)
    #expect(difference == nil, "\(difference ?? "")")
    #expect(file.command == "compare")
    // The trace's own estimators, moving keys included, in section `trace`.
    let trace = try #require(file.sections["trace"])
    for key in ["dmumu", "dpp", "dpp_averaged", "dpar_kubo", "motion", "lambda_par"] { #expect(trace.result[key] != nil, "trace/\(key)") }
  }

  @Test func mergedFileEqualsItsJSON() throws {
    let spec = try writeSpec(smallRun, name: "results-merge")
    var parts: [String] = []
    for k in 1...2 {
      let part = spec + ".part-\(k).h5"
      #expect(try runLarmor(["trace", spec, "--shard", "\(k)/2", "--out", part, "--threads", "1"]).status == 0)
      parts.append(part)
    }
    let (json, file) = try printedAndStored(["merge"] + parts, out: spec + ".merged.h5")
    #expect(ResultValue.record(file.result).firstDifference(from: json, relativeTolerance: 1e-15) == nil)
    #expect(file.command == "merge")
  }
}
