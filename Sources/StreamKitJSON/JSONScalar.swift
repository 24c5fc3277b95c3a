/// A standard-library type that is one JSON literal: read and written without a container.
///
/// Every `decode`/`encode` overload of the container protocols funnels into these, so each rule (overflow,
/// rounding, escaping) lives in one place.
protocol JSONScalar {
    static func read(from reader: JSONReader, _ token: JSONToken) throws(JSONError) -> Self
    /// Validates and reads the literal at `pos` in one go, for the streaming path; sets `end` past it.
    static func scan(from reader: JSONReader, at pos: Int, end: inout Int) throws(JSONError) -> Self
    func write(to writer: inout JSONWriter) throws(JSONError)
}

extension JSONScalar {
    static func scan(from reader: JSONReader, at pos: Int, end: inout Int) throws(JSONError) -> Self {
        let token = try reader.scanLiteral(at: pos)
        end = Int(token.end)
        return try read(from: reader, token)
    }
}

extension JSONScalar where Self: FixedWidthInteger {
    static func read(from reader: JSONReader, _ token: JSONToken) throws(JSONError) -> Self {
        try reader.integer(Self.self, token)
    }

    static func scan(from reader: JSONReader, at pos: Int, end: inout Int) throws(JSONError) -> Self {
        try reader.scanInteger(Self.self, at: pos, end: &end)
    }

    func write(to writer: inout JSONWriter) { writer.writeInteger(self) }
}

extension Int: JSONScalar {}
extension Int8: JSONScalar {}
extension Int16: JSONScalar {}
extension Int32: JSONScalar {}
extension Int64: JSONScalar {}
extension UInt: JSONScalar {}
extension UInt8: JSONScalar {}
extension UInt16: JSONScalar {}
extension UInt32: JSONScalar {}
extension UInt64: JSONScalar {}
@available(macOS 15.0, *) extension Int128: JSONScalar {}
@available(macOS 15.0, *) extension UInt128: JSONScalar {}

extension Bool: JSONScalar {
    static func read(from reader: JSONReader, _ token: JSONToken) throws(JSONError) -> Bool { try reader.bool(token) }
    func write(to writer: inout JSONWriter) { writer.writeLiteral(self ? "true" : "false") }
}

extension String: JSONScalar {
    static func read(from reader: JSONReader, _ token: JSONToken) throws(JSONError) -> String {
        try reader.stringValue(token)
    }

    func write(to writer: inout JSONWriter) { writer.writeString(self) }
}

extension Double: JSONScalar {
    static func read(from reader: JSONReader, _ token: JSONToken) throws(JSONError) -> Double {
        try reader.double(token)
    }

    static func scan(from reader: JSONReader, at pos: Int, end: inout Int) throws(JSONError) -> Double {
        try reader.scanDouble(at: pos, end: &end)
    }

    func write(to writer: inout JSONWriter) throws(JSONError) { try writer.writeFloatingPoint(self) }
}

extension Float: JSONScalar {
    static func read(from reader: JSONReader, _ token: JSONToken) throws(JSONError) -> Float { try reader.float(token) }
    func write(to writer: inout JSONWriter) throws(JSONError) { try writer.writeFloatingPoint(self) }
}
