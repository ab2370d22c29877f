/// One decoded value of a MaxMind DB data section, owned by Swift so it outlives the
/// libmaxminddb entry list it was read from.
public indirect enum MaxMindValue: Sendable, Equatable {
  case string(String)
  case double(Double)
  case float(Float)
  case bytes([UInt8])
  case unsigned(UInt64)
  case uint128(UInt128)
  case int32(Int32)
  case bool(Bool)
  case array([MaxMindValue])
  case map([String: MaxMindValue])

  public subscript(key: String) -> MaxMindValue? {
    if case .map(let members) = self { return members[key] }
    return nil
  }

  public subscript(index: Int) -> MaxMindValue? {
    if case .array(let items) = self, items.indices.contains(index) { return items[index] }
    return nil
  }

  public var stringValue: String? {
    if case .string(let value) = self { return value }
    return nil
  }

  /// Integers of any MaxMind integer type that fit an `Int`.
  public var intValue: Int? {
    switch self {
    case .unsigned(let value): return Int(exactly: value)
    case .uint128(let value): return Int(exactly: value)
    case .int32(let value): return Int(value)
    default: return nil
    }
  }

  public var doubleValue: Double? {
    switch self {
    case .double(let value): return value
    case .float(let value): return Double(value)
    default: return nil
    }
  }

  public var arrayValue: [MaxMindValue]? {
    if case .array(let items) = self { return items }
    return nil
  }
}
