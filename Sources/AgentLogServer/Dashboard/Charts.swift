import Foundation

/// Inline SVG charts, drawn on the server so that a page shows them without JavaScript: bars
/// stacked by series (cost per day by model or by agent) and a calendar heatmap of activity.
/// Every mark has a `<title>`, which browsers show on hover and screen readers read.
enum Charts {
    /// One bar: its label and a value per series.
    struct Bar {
        var label: String
        var values: [String: Double]
    }

    /// The colours of series, in order; the CSS gives them per theme (`--series-N`).
    static let seriesCount = 8

    /// A stacked bar chart of `bars`, series ordered by their total (largest at the bottom),
    /// the rest beyond `seriesCount - 1` merged into "other". Returns the SVG and the legend's
    /// series in order.
    static func stackedBars(_ bars: [Bar], unit: (Double) -> String, title: String) -> (svg: String, legend: [LegendItem]) {
        var totals: [String: Double] = [:]
        for bar in bars { for (series, value) in bar.values { totals[series, default: 0] += value } }
        var order = totals.filter { $0.value > 0 }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key)
        var merged = bars
        if order.count > seriesCount {
            let kept = Set(order.prefix(seriesCount - 1))
            merged = bars.map { bar in
                var values: [String: Double] = [:]
                for (series, value) in bar.values { values[kept.contains(series) ? series : "other", default: 0] += value }
                return Bar(label: bar.label, values: values)
            }
            order = Array(order.prefix(seriesCount - 1)) + ["other"]
        }
        let width = 720.0, height = 200.0, left = 48.0, bottom = 22.0, top = 8.0
        let highest = merged.map { $0.values.values.reduce(0, +) }.max() ?? 0
        let peak = niceCeiling(highest)
        let slot = (width - left) / Double(max(merged.count, 1))
        let barWidth = max(1, slot * 0.72)
        var svg = #"<svg class="chart" viewBox="0 0 \#(Int(width)) \#(Int(height))" role="img" aria-label="\#(escape(title))">"#
        for step in 0...3 where highest > 0 || step == 3 {
            let y = top + (height - top - bottom) * Double(step) / 3
            let value = peak * Double(3 - step) / 3
            svg += #"<line class="grid" x1="\#(Int(left))" x2="\#(Int(width))" y1="\#(fmt(y))" y2="\#(fmt(y))"/>"#
            svg += #"<text class="axis" x="\#(Int(left) - 6)" y="\#(fmt(y + 4))" text-anchor="end">\#(escape(unit(value)))</text>"#
        }
        let labelEvery = max(1, Int((Double(merged.count) / 8).rounded(.up)))
        for (index, bar) in merged.enumerated() {
            let x = left + slot * Double(index) + (slot - barWidth) / 2
            var y = height - bottom
            for (position, series) in order.enumerated() {
                guard let value = bar.values[series], value > 0 else { continue }
                let h = (height - top - bottom) * value / peak
                y -= h
                svg += #"<rect class="s\#(position)" x="\#(fmt(x))" y="\#(fmt(y))" width="\#(fmt(barWidth))" height="\#(fmt(max(h, 0.5)))">"#
                svg += "<title>\(escape(bar.label)) · \(escape(series)): \(escape(unit(value)))</title></rect>"
            }
            if index % labelEvery == 0 {
                svg += #"<text class="axis" x="\#(fmt(x + barWidth / 2))" y="\#(Int(height) - 6)" text-anchor="middle">\#(escape(String(bar.label.suffix(5))))</text>"#
            }
        }
        if highest <= 0 {
            svg += #"<text class="axis" x="\#(Int(width / 2))" y="\#(Int(height / 2))" text-anchor="middle">No usage in this period</text>"#
        }
        svg += "</svg>"
        var mergedTotals: [String: Double] = [:]
        for bar in merged { for (series, value) in bar.values { mergedTotals[series, default: 0] += value } }
        let legend = order.enumerated().map { LegendItem(series: "s\($0.offset)", name: $0.element, total: unit(mergedTotals[$0.element] ?? 0)) }
        return (svg, legend)
    }

    /// A legend entry: the series' CSS class, its name and its total.
    struct LegendItem {
        var series: String
        var name: String
        var total: String
    }

    /// A calendar heatmap: one square per day, weeks as columns (Monday on top), darker for
    /// more; `days` are `yyyy-MM-dd` keys with their values, `first` and `count` the days shown.
    static func heatmap(days: [String: Double], labels: [String], firstWeekday: Int, unit: (Double) -> String) -> String {
        let cell = 13.0, gap = 3.0, top = 4.0, left = 4.0
        let weeks = (labels.count + firstWeekday + 6) / 7
        let peak = max(days.values.max() ?? 0, 1e-9)
        var svg = #"<svg class="heatmap" viewBox="0 0 \#(Int(left * 2 + Double(weeks) * (cell + gap))) \#(Int(top * 2 + 7 * (cell + gap)))" role="img" aria-label="Activity per day">"#
        for (index, label) in labels.enumerated() {
            let position = index + firstWeekday
            let x = left + Double(position / 7) * (cell + gap)
            let y = top + Double(position % 7) * (cell + gap)
            let value = days[label] ?? 0
            let level = value <= 0 ? 0 : min(4, 1 + Int(4 * value / peak * 0.999))
            svg += #"<rect class="h\#(level)" x="\#(fmt(x))" y="\#(fmt(y))" width="\#(Int(cell))" height="\#(Int(cell))" rx="2"><title>\#(label): \#(escape(unit(value)))</title></rect>"#
        }
        return svg + "</svg>"
    }

    /// The smallest of 1.2, 1.5, 3, 4.5, 6, 7.5, 9, 12 × 10ⁿ at or above `value`: each is three
    /// round steps (0.4, 0.5, 1, 1.5, 2, 2.5, 3, 4 × 10ⁿ), so the axis's thirds read well.
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        let power = pow(10, (log10(value)).rounded(.down))
        for step in [1.2, 1.5, 3, 4.5, 6, 7.5, 9, 12] where step * power >= value * 0.999_999 { return step * power }
        return 12 * power
    }

    private static func fmt(_ value: Double) -> String { String(Int((value * 10).rounded())).withDecimal }

    /// Escapes text for SVG and HTML.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}

private extension String {
    /// `1234` (tenths) as `123.4`.
    var withDecimal: String {
        guard let value = Int(self) else { return self }
        let sign = value < 0 ? "-" : ""
        let magnitude = value.magnitude
        return magnitude % 10 == 0 ? "\(sign)\(magnitude / 10)" : "\(sign)\(magnitude / 10).\(magnitude % 10)"
    }
}
