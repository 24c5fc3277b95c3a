import ExampleSupport
import Foundation
import StreamKit

/// The live tables of the example's outputs.
enum OrderTables {
    static func aggregates() -> TableSink<OrderAggregate> {
        TableSink(
            title: "order_aggregates: 5-minute windows per product",
            columns: [
                .init("product", width: 16), .init("window start", width: 20),
                .init("orders", width: 6, alignment: .right), .init("units", width: 6, alignment: .right),
                .init("revenue", width: 11, alignment: .right),
            ]
        ) { aggregate in
            [
                aggregate.productId, utc(aggregate.windowStartMs), String(aggregate.orderCount),
                String(aggregate.units), LiveTable.fixed(aggregate.revenue, digits: 2),
            ]
        }
    }

    static func alerts() -> TableSink<TrendAlert> {
        TableSink(
            title: "trend_alerts: window revenue above 2× its EMA baseline",
            columns: [
                .init("product", width: 16), .init("window start", width: 20),
                .init("revenue", width: 11, alignment: .right), .init("baseline", width: 11, alignment: .right),
                .init("ratio", width: 6, alignment: .right), .init("severity", width: 8),
            ]
        ) { alert in
            [
                alert.productId, utc(alert.windowStartMs), LiveTable.fixed(alert.revenue, digits: 2),
                LiveTable.fixed(alert.baseline, digits: 2), LiveTable.fixed(alert.ratio, digits: 2),
                alert.severity.rawValue,
            ]
        }
    }

    /// The time in ISO 8601, UTC (`2026-11-20T10:05:00Z`).
    static func utc(_ milliseconds: Int64) -> String {
        Date(timeIntervalSince1970: Double(milliseconds) / 1_000).ISO8601Format()
    }
}
