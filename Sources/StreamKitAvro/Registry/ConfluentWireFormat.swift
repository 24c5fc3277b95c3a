import StreamKit

/// The Confluent wire format of a Kafka value: magic byte `0`, the writer schema's registry id as a 4-byte
/// big-endian integer, then the Avro binary body.
public enum ConfluentWireFormat {
    /// The first byte of every framed value.
    public static let magicByte: UInt8 = 0
    /// Bytes before the Avro body.
    public static let headerSize = 5

    /// Appends the 5-byte header for `schemaID`.
    public static func writeHeader(schemaID: Int32, into out: inout [UInt8]) {
        out.append(magicByte)
        withUnsafeBytes(of: schemaID.bigEndian) { out.append(contentsOf: $0) }
    }

    /// Splits a framed value into its schema id and Avro body (read in place).
    ///
    /// - Throws: `SerdeError` when the value is shorter than the header or does not start with the magic byte,
    ///   so the error policy dead-letters it with that reason.
    public static func parseHeader(
        _ bytes: UnsafeRawBufferPointer
    ) throws(SerdeError) -> (schemaID: Int32, body: UnsafeRawBufferPointer) {
        guard bytes.count >= headerSize else {
            throw SerdeError(reason: "Confluent wire format: \(bytes.count) bytes, shorter than the 5-byte header")
        }
        guard bytes[0] == magicByte else {
            throw SerdeError(reason: "Confluent wire format: magic byte is \(bytes[0]), expected 0")
        }
        let id = Int32(bigEndian: bytes.loadUnaligned(fromByteOffset: 1, as: Int32.self))
        return (id, UnsafeRawBufferPointer(rebasing: bytes[headerSize...]))
    }
}
