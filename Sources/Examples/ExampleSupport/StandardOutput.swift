// @preconcurrency: `stdout` is a C global; it is only read here, once, before the example prints anything.
#if canImport(Glibc)
    @preconcurrency import Glibc
#elseif canImport(Darwin)
    @preconcurrency import Darwin
#endif

/// The process's standard output.
package enum StandardOutput {
    /// Makes standard output line-buffered even when it is a file or a pipe, so that a long-running example's
    /// lines (its listening address, its live tables) reach whoever reads them as they are printed, not when a
    /// 4 KiB buffer fills or the process exits. Call once, at the start of `run()`.
    package static func useLineBuffering() {
        setvbuf(stdout, nil, _IOLBF, 0)
    }
}
