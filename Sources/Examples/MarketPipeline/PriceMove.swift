/// A tick with the absolute move of its mid price since the symbol's previous valid tick.
struct PriceMove: Sendable {
    var tick: Tick
    var move: Double
}
