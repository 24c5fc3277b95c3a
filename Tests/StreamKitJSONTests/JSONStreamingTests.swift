import Foundation
import PropertyBased
import StreamKitTestSupport
import Synchronization
import Testing

@testable import StreamKitJSON

/// Counts how often its `init(from:)` runs: once when the streaming path reads the document, twice when it hands
/// the document to the tape path. Only `anInOrderRecordIsReadInOnePass` decodes it, so the count is its own.
private struct CountedTick: Decodable, Equatable {
    static let runs = Mutex(0)

    var symbol: String
    var bid: Double
    var ask: Double
    var bidVolume: Double
    var sequence: Int64

    enum CodingKeys: String, CodingKey { case symbol, bid, ask, bidVolume, sequence }

    init(symbol: String, bid: Double, ask: Double, bidVolume: Double, sequence: Int64) {
        (self.symbol, self.bid, self.ask, self.bidVolume, self.sequence) = (symbol, bid, ask, bidVolume, sequence)
    }

    init(from decoder: any Decoder) throws {
        Self.runs.withLock { $0 += 1 }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        symbol = try container.decode(String.self, forKey: .symbol)
        bid = try container.decode(Double.self, forKey: .bid)
        ask = try container.decode(Double.self, forKey: .ask)
        bidVolume = try container.decode(Double.self, forKey: .bidVolume)
        sequence = try container.decode(Int64.self, forKey: .sequence)
    }
}

/// Reads `b` with `try?` after `a`: on `{"b":…,"a":…}` the streaming path can find `a` but then not `b`, and the
/// `nil` it would hand out must not survive.
private struct Forgiving: Decodable, Equatable {
    var a: Int
    var b: Int?

    enum CodingKeys: String, CodingKey { case a, b }

    init(a: Int, b: Int?) { (self.a, self.b) = (a, b) }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        a = try container.decode(Int.self, forKey: .a)
        b = try? container.decode(Int.self, forKey: .b)
    }
}

/// A number or a string on the wire, told apart by trying one and then the other, as custom conformances do.
private enum Code: Decodable, Equatable {
    case number(Int)
    case text(String)

    init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer()
        if let number = try? value.decode(Int.self) {
            self = .number(number)
        } else {
            self = .text(try value.decode(String.self))
        }
    }
}

/// A recursive record: nested objects of one key type at several depths at once.
private struct TreeNode: Codable, Equatable {
    var label: String
    var weight: Double
    var children: [TreeNode]

    static func make(depth: Int, using rng: inout SplitMix64) -> TreeNode {
        TreeNode(
            label: Sample.randomString(using: &rng), weight: Sample.randomDouble(using: &rng),
            children: depth == 0
                ? [] : (0..<Int.random(in: 0...3, using: &rng)).map { _ in make(depth: depth - 1, using: &rng) })
    }
}

@Suite("JSON streaming path")
struct JSONStreamingTests {
    let decoder = StreamJSONDecoder()

    @Test func anInOrderRecordIsReadInOnePass() throws {
        let inOrder = #"{"symbol":"TTF-GAS","bid":31.25,"ask":31.5,"bid_volume":120.0,"sequence":42}"#
        let tick = try decoder.decode(CountedTick.self, from: Array(inOrder.utf8))
        #expect(tick == CountedTick(symbol: "TTF-GAS", bid: 31.25, ask: 31.5, bidVolume: 120, sequence: 42))
        #expect(CountedTick.runs.withLock { $0 } == 1)
        // Unknown members in between are stepped over on the way.
        let withUnknown =
            #"{"x":{"y":[1,{"z":"}"}]},"symbol":"S","extra":[true,null],"bid":1.5,"ask":2,"#
            + #""bid_volume":3e0,"note":"a\"b","sequence":7,"tail":{}}"#
        let other = try decoder.decode(CountedTick.self, from: Array(withUnknown.utf8))
        #expect(other == CountedTick(symbol: "S", bid: 1.5, ask: 2, bidVolume: 3, sequence: 7))
        #expect(CountedTick.runs.withLock { $0 } == 2)
        // Out of order: the streaming path hands the document over, and `init(from:)` runs again.
        let outOfOrder = #"{"bid":1,"symbol":"S","ask":2,"bid_volume":3,"sequence":7}"#
        let third = try decoder.decode(CountedTick.self, from: Array(outOfOrder.utf8))
        #expect(third == CountedTick(symbol: "S", bid: 1, ask: 2, bidVolume: 3, sequence: 7))
        #expect(CountedTick.runs.withLock { $0 } == 4)
    }

    @Test func aSwallowedHandOverStillGivesTheTapePathsResult() throws {
        // Worked by hand: `a` is 1 and `b` is 2, whatever order the members come in.
        #expect(try decoder.decode(Forgiving.self, from: Array(#"{"b":2,"a":1}"#.utf8)) == Forgiving(a: 1, b: 2))
        #expect(try decoder.decode(Forgiving.self, from: Array(#"{"a":1,"b":2}"#.utf8)) == Forgiving(a: 1, b: 2))
        #expect(try decoder.decode(Forgiving.self, from: Array(#"{"a":1,"b":"x"}"#.utf8)) == Forgiving(a: 1, b: nil))
    }

    @Test func aProbeThatFailsCleanlyLeavesTheValueReadable() throws {
        let codes = try decoder.decode([Code].self, from: Array(#"[1,"two",-3,"4"]"#.utf8))
        #expect(codes == [.number(1), .text("two"), .number(-3), .text("4")])
    }

    @Test func documentErrorsWinOverTypeErrorsFoundEarlier() throws {
        // The type mismatch at `a` comes first in reading order; the syntax error at byte 18 must win.
        let error = try #require(streamError(Forgiving.self, Array(#"{"a":"1","b":[1,2,}"#.utf8)))
        #expect(error.kind == .syntax)
        #expect(error.byteOffset == 18)
    }

    @Test func trailingBytesAfterAnInOrderRecordAreAnError() throws {
        let error = try #require(
            streamError(
                Forgiving.self, Array(#"{"a":1,"b":2} x"#.utf8), decoder: StreamJSONDecoder(keyMapping: .snakeCase)))
        #expect(error.kind == .syntax)
        #expect(error.byteOffset == 14)
        // A member nobody reads is validated all the same.
        let unread = try #require(streamError(Forgiving.self, Array(#"{"a":1,"b":2,"c":[1,}"#.utf8)))
        #expect(unread.kind == .syntax)
        #expect(unread.byteOffset == 20)
    }

    @Test func missingAndNullOptionalsAgreeWithFoundation() throws {
        struct Opt: Codable, Equatable {
            var a: Int?
            var b: String?
            var c: [Int]?
        }
        for json in [#"{"a":1,"b":null,"c":[2]}"#, #"{"b":"x"}"#, "{}", #"{"c":null,"a":null}"#] {
            let expected = try JSONDecoder().decode(Opt.self, from: Data(json.utf8))
            #expect(try decoder.decode(Opt.self, from: Array(json.utf8)) == expected, "\(json)")
        }
    }

    @Test("recursive records read like Foundation reads them")
    func recursiveRecordsAgreeWithFoundation() async throws {
        await propertyCheck(count: 100, input: Gen.uint64()) { seed in
            var rng = SplitMix64(state: seed)
            let tree = TreeNode.make(depth: 4, using: &rng)
            let json = try JSONEncoder().encode(tree)
            #expect(try decoder.decode(TreeNode.self, from: Array(json)) == tree)
        }
    }

    @Test(
        "reordered members, unknown members and whitespace read as Foundation reads them",
        arguments: [false, true])
    func rewrittenDocumentsAgreeWithFoundation(addsUnknownMembers: Bool) async throws {
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            var rng = SplitMix64(state: seed)
            let json = try foundationEncoder(snakeCase: true).encode(Sample.random(using: &rng))
            let rewritten = JSONRewriter.rewrite(Array(json), seed: seed, addsUnknownMembers: addsUnknownMembers)
            let expected = Result { try foundationDecoder(snakeCase: true).decode(Sample.self, from: Data(rewritten)) }
            let decoded = Result { try decoder.decode(Sample.self, from: rewritten) }
            switch (expected, decoded) {
            case (.success(let expected), .success(let decoded)): #expect(decoded == expected)
            case (.failure, .failure): break
            default:
                let text = String(decoding: rewritten, as: UTF8.self)
                Issue.record("Foundation: \(expected), StreamKit: \(decoded) for \(text)")
            }
            if !addsUnknownMembers, case .failure(let error) = expected {
                Issue.record("rewriting without unknown members broke the document: \(error)")
            }
        }
    }
}
