/// Column widths of the alert list for a pane width: fixed columns first, then the flexible ones
/// grow from a minimum towards a comfortable width, and whatever is left goes to the principal and
/// the ASN organisation, the values analysts most often need whole.
struct ListColumns: Equatable {
  /// "closed†" (a closed alert the last run no longer produced) is the longest.
  var status = 7
  var severity: Int
  var time: Int
  var rule: Int
  var function: Int
  var principal: Int
  var sourceIP: Int
  var organization: Int
  var progress = 3

  /// Mark, then the columns above, then the exclusion marker; one space between each.
  static let columnCount = 11

  init(width: Int) {
    time = width >= 120 ? 19 : 11
    severity = width >= 100 ? 6 : 4
    let fixed = 1 + status + severity + time + progress + 1 + (ListColumns.columnCount - 1)
    let spare = max(0, width - fixed)
    // An address cut short is no address (.40 and .41 read the same): the source IP keeps the 15
    // columns of a dotted IPv4 whenever the others' minimums leave room for it.
    let minimum = [3, 8, 8, 15, 6]
    // An IPv6 address wants more than 15; it gets up to 24 when the terminal is wide.
    let comfortable = [19, 18, 22, 24, 22]
    let minSum = minimum.reduce(0, +), comfortableSum = comfortable.reduce(0, +)
    var widths: [Int]
    if spare < minSum {
      // Too narrow for every minimum: share what there is evenly.
      widths = minimum.map { _ in spare / minimum.count }
    } else if spare <= comfortableSum {
      // Every column gets the same share of the way from its minimum to its comfortable width.
      let extra = spare - minSum, room = comfortableSum - minSum
      widths = zip(minimum, comfortable).map { $0 + ($1 - $0) * extra / room }
    } else {
      widths = comfortable
    }
    let left = spare - widths.reduce(0, +)
    widths[2] += left / 2
    widths[4] += left - left / 2
    rule = widths[0]
    function = widths[1]
    principal = widths[2]
    sourceIP = widths[3]
    organization = widths[4]
  }

  /// The row's cells in column order (text and role), each exactly its column's width.
  func cells(_ values: [(DisplayText, Role)]) -> [(DisplayText, Role)] {
    let widths = [1, status, severity, time, rule, function, principal, sourceIP, organization, progress, 1]
    return zip(values, widths).map { ($0.0.padded(toWidth: $1), $0.1) }
  }
}
