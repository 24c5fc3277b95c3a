import Foundation
import Testing

@testable import StreamKitJSON

/// JSONTestSuite-style cases: `y_` documents must be accepted (and read as Foundation reads them), `n_`
/// documents rejected with the kind of error and the byte offset worked out by hand.
@Suite("JSON conformance")
struct JSONConformanceTests {
    static let accepted: [(name: String, json: String)] = [
        ("y_array_empty", "[]"),
        ("y_object_empty", "{}"),
        ("y_structure_whitespace", " \t\r\n[ 1 ,\n2 ]\r\n "),
        ("y_number_zero", "[0]"),
        ("y_number_negative_zero", "[-0]"),
        ("y_number_fraction", "[-12.5e-3]"),
        ("y_number_capital_exponent", "[1E+2]"),
        ("y_number_int64_max", "[9223372036854775807]"),
        ("y_number_int64_min", "[-9223372036854775808]"),
        ("y_number_double_max", "[1.7976931348623157e308]"),
        ("y_number_double_min_subnormal", "[5e-324]"),
        ("y_number_long_mantissa", "[0.1000000000000000055511151231257827021181583404541015625]"),
        ("y_string_simple_escapes", #"["\"\\\/\b\f\n\r\t"]"#),
        ("y_string_u_escape_e_acute", #"["caf\u00e9"]"#),
        ("y_string_u_escape_upper_hex", #"["\u00E9\u4E2D"]"#),
        ("y_string_surrogate_pair", #"["\ud83d\ude00"]"#),
        ("y_string_raw_utf8", "[\"é中😀\"]"),
        ("y_string_escaped_nul", #"["a\u0000b"]"#),
        ("y_string_del_unescaped", "[\"\u{7F}\"]"),
        ("y_string_u2028_unescaped", "[\"\u{2028}\"]"),
        ("y_object_nested", #"{"a":{"b":[1,{"c":null}]},"d":true,"e":false}"#),
        ("y_object_escaped_key", #"{"k\u0065y":1}"#),
        ("y_literals", "[true,false,null]"),
        ("y_top_level_string", #""top""#),
        ("y_top_level_number", " 42 "),
        ("y_top_level_null", "null"),
    ]

    @Test("y_ documents read as Foundation reads them", arguments: accepted)
    func acceptsValidDocuments(name: String, json: String) throws {
        let expected = try JSONDecoder().decode(AnyJSON.self, from: Data(json.utf8))
        let decoded = try StreamJSONDecoder(keyMapping: .useDefaultKeys).decode(AnyJSON.self, from: Array(json.utf8))
        #expect(decoded == expected, "\(name)")
    }

    static let rejected: [(name: String, json: String, kind: JSONError.Kind, offset: Int)] = [
        ("n_empty", "", .syntax, 0),
        ("n_whitespace_only", "  ", .syntax, 2),
        ("n_trailing_garbage", "[1] x", .syntax, 4),
        ("n_two_values", "1 2", .syntax, 2),
        ("n_trailing_comma_array", "[1,]", .syntax, 3),
        ("n_trailing_comma_object", #"{"a":1,}"#, .syntax, 7),
        ("n_missing_colon", #"{"a" 1}"#, .syntax, 5),
        ("n_missing_comma", "[1 2]", .syntax, 3),
        ("n_unquoted_key", "{a:1}", .syntax, 1),
        ("n_single_quotes", "['a']", .syntax, 1),
        ("n_unclosed_array", "[1", .syntax, 2),
        ("n_unclosed_object", #"{"a":1"#, .syntax, 6),
        ("n_mismatched_bracket", "[1}", .syntax, 2),
        ("n_NaN", "[NaN]", .invalidNumber, 1),
        ("n_Infinity", "[Infinity]", .invalidNumber, 1),
        ("n_minus_Infinity", "[-Infinity]", .invalidNumber, 1),
        ("n_leading_zero", "[012]", .invalidNumber, 1),
        ("n_negative_leading_zero", "[-01]", .invalidNumber, 1),
        ("n_leading_plus", "[+1]", .syntax, 1),
        ("n_bare_minus", "[-]", .invalidNumber, 1),
        ("n_point_without_digits", "[1.]", .invalidNumber, 1),
        ("n_leading_point", "[.5]", .syntax, 1),
        ("n_exponent_without_digits", "[1e+]", .invalidNumber, 1),
        ("n_hex_number", "[0x10]", .syntax, 2),
        ("n_literal_capitalised", "[True]", .syntax, 1),
        ("n_literal_truncated", "[nul]", .syntax, 1),
        ("n_unescaped_newline", "[\"a\nb\"]", .syntax, 3),
        ("n_unescaped_tab", "[\"\t\"]", .syntax, 2),
        ("n_unknown_escape", #"["\x41"]"#, .invalidEscape, 2),
        ("n_short_u_escape", #"["\u12"]"#, .invalidEscape, 2),
        ("n_lone_high_surrogate", #"["\ud83d"]"#, .invalidEscape, 2),
        ("n_high_surrogate_then_text", #"["\ud83dxx"]"#, .invalidEscape, 2),
        ("n_two_high_surrogates", #"["\ud83d\ud83d"]"#, .invalidEscape, 2),
        ("n_lone_low_surrogate", #"["\ude00"]"#, .invalidEscape, 2),
        ("n_unterminated_string", #"["abc"#, .syntax, 1),
        ("n_comment", "[1] // no", .syntax, 4),
    ]

    /// Where Foundation's `JSONDecoder` is more lenient than RFC 8259 (observed with Swift 6.3 on Linux).
    static let foundationAccepts: Set<String> = ["n_trailing_comma_array", "n_trailing_comma_object"]

    @Test("n_ documents are rejected where the rule says", arguments: rejected)
    func rejectsInvalidDocuments(name: String, json: String, kind: JSONError.Kind, offset: Int) throws {
        let error = try #require(streamError(AnyJSON.self, Array(json.utf8)), "\(name) was accepted")
        #expect(error.kind == kind, "\(name): \(error)")
        #expect(error.byteOffset == offset, "\(name): \(error)")
        if !Self.foundationAccepts.contains(name) {
            #expect(throws: (any Error).self, "Foundation accepts \(name)") {
                try JSONDecoder().decode(AnyJSON.self, from: Data(json.utf8))
            }
        }
    }

    static let invalidUTF8: [(name: String, bytes: [UInt8], offset: Int)] = [
        ("n_utf8_lone_continuation", [0x22, 0x80, 0x22], 1),
        ("n_utf8_overlong_slash", [0x22, 0xC0, 0xAF, 0x22], 1),
        ("n_utf8_overlong_three_bytes", [0x22, 0xE0, 0x80, 0xAF, 0x22], 2),
        ("n_utf8_encoded_surrogate", [0x22, 0xED, 0xA0, 0x80, 0x22], 2),
        ("n_utf8_above_max_scalar", [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 2),
        ("n_utf8_invalid_lead_f5", [0x22, 0xF5, 0x80, 0x80, 0x80, 0x22], 1),
        ("n_utf8_ff", [0x22, 0x61, 0xFF, 0x22], 2),
        ("n_utf8_truncated_at_quote", [0x22, 0xE4, 0xB8, 0x22], 3),
        ("n_utf8_in_key", [0x7B, 0x22, 0xC3, 0x28, 0x22, 0x3A, 0x31, 0x7D], 3),
    ]

    @Test("invalid UTF-8 in strings is rejected at the offending byte", arguments: invalidUTF8)
    func rejectsInvalidUTF8(name: String, bytes: [UInt8], offset: Int) throws {
        let error = try #require(streamError(AnyJSON.self, bytes), "\(name) was accepted")
        #expect(error.kind == .invalidUTF8, "\(name): \(error)")
        #expect(error.byteOffset == offset, "\(name): \(error)")
    }

    @Test func rejectsNonASCIIBytesOutsideStrings() throws {
        let error = try #require(streamError(AnyJSON.self, [0x5B, 0xC3, 0xA9, 0x5D]))
        #expect(error.kind == .syntax)
        #expect(error.byteOffset == 1)
    }

    @Test func decodesEscapesToTheRightScalars() throws {
        let decoder = StreamJSONDecoder()
        // Each expected string is written with Swift's own escapes, independently of the JSON ones.
        #expect(try decoder.decode(String.self, from: Array(#""caf\u00e9""#.utf8)) == "caf\u{E9}")
        #expect(try decoder.decode(String.self, from: Array(#""\ud83d\ude00!""#.utf8)) == "\u{1F600}!")
        #expect(try decoder.decode(String.self, from: Array(#""\"\\\/\b\f\n\r\t""#.utf8)) == "\"\\/\u{8}\u{C}\n\r\t")
        #expect(try decoder.decode(String.self, from: Array(#""\u0000\u001f""#.utf8)) == "\u{0}\u{1F}")
        #expect(try decoder.decode(String.self, from: Array(#""\uDBFF\uDFFF""#.utf8)) == "\u{10FFFF}")
    }
}
