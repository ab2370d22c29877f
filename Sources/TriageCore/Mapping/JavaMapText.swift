/// Reads back the text Elastic's pipeline stores in `aws.cloudtrail.request_parameters` and
/// `response_elements` (Java's `Map.toString`: `{k=v, k2={a=b}, k3=[x, y]}`) into a tree, for
/// ECS documents exported without the flattened objects. The rendering is not reversible in
/// general (values may contain `, ` or `=`), so this is best effort: a separator counts only when
/// the next token looks like `key=`, and anything unparsable yields nil rather than a wrong tree.
public enum JavaMapText {
  public static func parse(_ text: String) -> JSONObject? {
    var reader = Reader(Array(text.unicodeScalars))
    guard let object = reader.object(depth: 0), reader.atEnd else { return nil }
    return object
  }

  private struct Reader {
    let s: [Unicode.Scalar]
    var i = 0
    init(_ s: [Unicode.Scalar]) { self.s = s }
    var atEnd: Bool { i == s.count }

    mutating func object(depth: Int) -> JSONObject? {
      guard depth < 64, i < s.count, s[i] == "{" else { return nil }
      i += 1
      var members: [JSONMember] = []
      if i < s.count, s[i] == "}" {
        i += 1
        return JSONObject(members)
      }
      while i < s.count {
        guard let eq = s[i...].firstIndex(of: "="), eq > i else { return nil }
        let key = String(String.UnicodeScalarView(s[i..<eq]))
        i = eq + 1
        guard let value = value(depth: depth, closer: "}") else { return nil }
        members.append(JSONMember(key, value))
        if i < s.count, s[i] == "}" {
          i += 1
          return JSONObject(members)
        }
        guard i + 1 < s.count, s[i] == ",", s[i + 1] == " " else { return nil }
        i += 2
      }
      return nil
    }

    mutating func array(depth: Int) -> [JSONValue]? {
      guard depth < 64, i < s.count, s[i] == "[" else { return nil }
      i += 1
      var items: [JSONValue] = []
      if i < s.count, s[i] == "]" {
        i += 1
        return items
      }
      while i < s.count {
        guard let item = value(depth: depth, closer: "]") else { return nil }
        items.append(item)
        if i < s.count, s[i] == "]" {
          i += 1
          return items
        }
        guard i + 1 < s.count, s[i] == ",", s[i + 1] == " " else { return nil }
        i += 2
      }
      return nil
    }

    /// A nested map or list, or a scalar running to the next separator that begins another
    /// member (`, key=` in a map, `, ` in a list) or to the closer that ends the container.
    mutating func value(depth: Int, closer: Unicode.Scalar) -> JSONValue? {
      if i < s.count, s[i] == "{" {
        let saved = i
        if let nested = object(depth: depth + 1) { return .object(nested) }
        i = saved
      }
      if i < s.count, s[i] == "[" {
        let saved = i
        if let nested = array(depth: depth + 1) { return .array(nested) }
        i = saved
      }
      let start = i
      var end = i
      while end < s.count {
        if s[end] == closer, endsContainer(at: end) { break }
        if s[end] == ",", end + 1 < s.count, s[end + 1] == " ", startsMember(at: end + 2, closer: closer) { break }
        end += 1
      }
      guard end < s.count else { return nil }
      i = end
      return .string(String(String.UnicodeScalarView(s[start..<end])))
    }

    /// A closer ends the container when what follows is the end, another closer, or a separator.
    func endsContainer(at index: Int) -> Bool {
      let next = index + 1
      return next == s.count || s[next] == "}" || s[next] == "]" || (s[next] == "," && next + 1 < s.count && s[next + 1] == " ")
    }

    func startsMember(at index: Int, closer: Unicode.Scalar) -> Bool {
      guard closer == "}" else { return true }
      var j = index
      while j < s.count, s[j] != "=", s[j] != ",", s[j] != "{", s[j] != "}" { j += 1 }
      return j < s.count && s[j] == "=" && j > index
    }
  }
}
