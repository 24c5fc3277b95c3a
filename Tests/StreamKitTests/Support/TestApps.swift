import StreamKit

/// An app on a fresh in-memory broker.
func makeApp(_ name: String = "test-app", errors: ErrorPolicy = .fail, broker: InMemoryBroker = InMemoryBroker())
    throws -> StreamApp
{
    try StreamApp(name: name, broker: broker, errors: errors)
}
