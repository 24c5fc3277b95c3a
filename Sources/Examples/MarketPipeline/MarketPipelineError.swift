/// A failure at start-up, worded for the command line: it names the flag to fix.
struct MarketPipelineError: Error, CustomStringConvertible {
    var description: String
}
