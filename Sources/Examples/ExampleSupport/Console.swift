import Foundation

/// Standard output without stdio's buffering: each line is written at once, so a live table shows up as it is
/// made even when the output is a pipe or a file (where `print` would hold it in a block buffer).
package enum Console {
    /// Writes `text` and a newline to standard output.
    package static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
