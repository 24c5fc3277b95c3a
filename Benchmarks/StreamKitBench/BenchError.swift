/// A benchmark that could not finish; printed without the usage text.
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
