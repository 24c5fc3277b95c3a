/// StreamKit core: placeholder until the core lands.
public enum StreamKitVersion { public static let current = "0.1.0" }
