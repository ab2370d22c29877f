/// The text of an "is one of" condition: values separated by commas, and a value that holds a
/// comma or a quote (ASN organisations such as `DigitalOcean, LLC`) in double quotes, a quote
/// inside doubled, as in CSV. Spaces around a value are not part of it.
enum ValueList {
  static func join(_ values: [String]) -> String {
    values.map { value in
      let plain = !value.contains(",") && !value.contains("\"") && value.first != " " && value.last != " "
      return plain ? value : "\"" + value.replacing("\"", with: "\"\"") + "\""
    }.joined(separator: ", ")
  }

  static func split(_ text: String) -> [String] {
    var values: [String] = []
    var current = ""
    var quoted = false
    var wasQuoted = false
    var characters = text.makeIterator()
    var pending: Character? = nil
    func finish() {
      let value = wasQuoted ? current : Substring(current).trimmingSpaces()
      if !value.isEmpty { values.append(value) }
      current = ""
      wasQuoted = false
    }
    while let c = pending ?? characters.next() {
      pending = nil
      if quoted {
        if c == "\"" {
          if let next = characters.next() {
            if next == "\"" { current.append("\"") } else { quoted = false; pending = next }
          } else {
            quoted = false
          }
        } else {
          current.append(c)
        }
      } else if c == "\"" && Substring(current).trimmingSpaces().isEmpty {
        current = ""
        quoted = true
        wasQuoted = true
      } else if c == "," {
        finish()
      } else if wasQuoted {
        // Text after a closing quote (other than spaces) belongs to the value.
        if c != " " { current.append(c) }
      } else {
        current.append(c)
      }
    }
    finish()
    return values
  }
}
