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
    /// How far back the first look for a block's start goes: a week of 15-minute slots.
    static let lookBackSlots: Int64 = 7 * 96

    /// The block open at `now`, or nil when none is (no response in the last 5 hours of its chain).
    ///
    /// Blocks chain forward from the first response, so the one open now depends on when the
    /// chain last broke: a gap of 5 hours or more between two slots with usage always starts a
    /// new block there. The 15-minute slots of `usage_rollup` give the answer exactly, since a
    /// block's start and end are whole hours: the slots of the last week are read first, and the
    /// whole history only when that week had no such gap.
    public func activeBlock(now: Int64) throws(SQLiteError) -> ActiveBlock? {
        let nowSlot = Self.slot(now)
        var slots = try usedSlots(from: nowSlot - Self.lookBackSlots, through: nowSlot)
        guard let latest = slots.last, (latest + 1) * Self.slotLength > now - ActiveBlock.length else { return nil }
        var chainStart = Self.chainStart(slots)
        if chainStart == 0, try !usedSlots(from: Int64.min, through: nowSlot - Self.lookBackSlots - 1, limit: 1).isEmpty {
            slots = try usedSlots(from: Int64.min, through: nowSlot)
            chainStart = Self.chainStart(slots)
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
