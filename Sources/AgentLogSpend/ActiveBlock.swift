import AgentLogSQLite

/// The 5-hour block open at a moment: it starts at its first response floored to the hour
/// (UTC) and lasts 5 hours, as `agentlog report blocks` counts them.
public struct ActiveBlock: Sendable, Equatable {
    /// The block's start, ms since 1970 (a whole hour).
    public var start: Int64
    /// Its end, 5 hours later.
    public var end: Int64
    /// Its usage so far.
    public var spend: Spend

    /// A block's length: 5 hours, in ms.
    public static let length: Int64 = 5 * 3_600_000
}

extension SpendReader {
    /// How far back the looks for a block's start go, in 15-minute slots: a day, then a week,
    /// then the whole history (a break of 5 hours is almost always within the last day).
    static let lookBacks: [Int64] = [96, 7 * 96, Int64.max / 2]

    /// The block open at `now`, or nil when none is (no response in the last 5 hours of its chain).
    ///
    /// Blocks chain forward from the first response, so the one open now depends on when the
    /// chain last broke: a gap of 5 hours or more between two slots with usage always starts a
    /// new block there. The 15-minute slots of `usage_rollup` give the answer exactly, since a
    /// block's start and end are whole hours: the slots of the last day are read first, then of
    /// the last week, and the whole history only when neither had such a gap.
    public func activeBlock(now: Int64) throws(SQLiteError) -> ActiveBlock? {
        let nowSlot = Self.slot(now)
        var slots: [Int64] = []
        var chainStart = 0
        for lookBack in Self.lookBacks {
            slots = try usedSlots(from: nowSlot &- lookBack, through: nowSlot)
            guard let latest = slots.last, (latest + 1) * Self.slotLength > now - ActiveBlock.length else { return nil }
            chainStart = Self.chainStart(slots)
            // A break inside the span, or nothing before it: the chain is complete.
            if chainStart > 0 || lookBack == Self.lookBacks.last { break }
            if try usedSlots(from: Int64.min, through: nowSlot &- lookBack &- 1, limit: 1).isEmpty { break }
        }
        var start = Int64.min
        for slot in slots[chainStart...] {
            let time = slot * Self.slotLength
            if start == Int64.min || time >= start + ActiveBlock.length {
                start = time - ((time % 3_600_000) + 3_600_000) % 3_600_000
            }
        }
        guard now >= start, now < start + ActiveBlock.length else { return nil }
        return ActiveBlock(start: start, end: start + ActiveBlock.length,
                           spend: try spend(since: start, until: start + ActiveBlock.length))
    }

    /// The index of the last slot that follows a gap of 5 hours or more (0 when none does).
    static func chainStart(_ slots: [Int64]) -> Int {
        let gap = ActiveBlock.length / slotLength
        var index = slots.count - 1
        while index > 0 {
            if slots[index] - slots[index - 1] >= gap { return index }
            index -= 1
        }
        return 0
    }

    /// The slots with usage in `first...last`, in order.
    private func usedSlots(from first: Int64, through last: Int64, limit: Int = Int.max) throws(SQLiteError) -> [Int64] {
        let statement = try db.statement("SELECT DISTINCT slot FROM usage_rollup WHERE slot >= ?1 AND slot <= ?2 AND responses > 0 ORDER BY slot LIMIT ?3")
        defer { statement.reset() }
        statement.bind(1, first)
        statement.bind(2, last)
        statement.bind(3, Int64(min(limit, Int(Int64.max))))
        var slots: [Int64] = []
        while try statement.step() { if let slot = statement.int64(0) { slots.append(slot) } }
        return slots
    }
}
