import ArgumentParser

@main
struct Larmor: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Cosmic rays in synthetic MHD turbulence")
  func run() throws {}
}
