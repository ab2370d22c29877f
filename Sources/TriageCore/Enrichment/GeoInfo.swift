/// The properties Elastic's geoip processor writes by default for a City database. Each is
/// optional because the processor omits whatever the record lacks rather than writing nulls.
public struct GeoInfo: Sendable, Equatable {
  public var continentName: String?
  public var countryName: String?
  public var countryISOCode: String?
  /// `<country iso>-<subdivision iso>`, only when both are known (as Elastic builds it).
  public var regionISOCode: String?
  public var regionName: String?
  public var cityName: String?
  /// Set only when both coordinates are present; Elastic never writes half a location.
  public var location: (lat: Double, lon: Double)?

  public init(continentName: String? = nil, countryName: String? = nil, countryISOCode: String? = nil,
              regionISOCode: String? = nil, regionName: String? = nil, cityName: String? = nil,
              location: (lat: Double, lon: Double)? = nil) {
    self.continentName = continentName
    self.countryName = countryName
    self.countryISOCode = countryISOCode
    self.regionISOCode = regionISOCode
    self.regionName = regionName
    self.cityName = cityName
    self.location = location
  }

  public var isEmpty: Bool {
    continentName == nil && countryName == nil && countryISOCode == nil && regionISOCode == nil
      && regionName == nil && cityName == nil && location == nil
  }

  /// The `source.geo` object. Keys are in alphabetical order, which is how Elastic's pipeline
  /// tests and `_source` exports print them, so documents diff cleanly against theirs.
  public var jsonObject: JSONObject {
    // Built as a member list first: JSONObject's parsedKeyCount comes from its initial members,
    // and it has to equal the key count for the object to compare equal to a parsed one.
    var members: [JSONMember] = []
    if let cityName { members.append(JSONMember("city_name", .string(cityName))) }
    if let continentName { members.append(JSONMember("continent_name", .string(continentName))) }
    if let countryISOCode { members.append(JSONMember("country_iso_code", .string(countryISOCode))) }
    if let countryName { members.append(JSONMember("country_name", .string(countryName))) }
    if let location {
      members.append(JSONMember("location", .object(JSONObject([
        JSONMember("lat", .number(JSONNumber(text: "\(location.lat)"))),
        JSONMember("lon", .number(JSONNumber(text: "\(location.lon)"))),
      ]))))
    }
    if let regionISOCode { members.append(JSONMember("region_iso_code", .string(regionISOCode))) }
    if let regionName { members.append(JSONMember("region_name", .string(regionName))) }
    return JSONObject(members)
  }

  public static func == (lhs: GeoInfo, rhs: GeoInfo) -> Bool {
    lhs.continentName == rhs.continentName && lhs.countryName == rhs.countryName
      && lhs.countryISOCode == rhs.countryISOCode && lhs.regionISOCode == rhs.regionISOCode
      && lhs.regionName == rhs.regionName && lhs.cityName == rhs.cityName
      && lhs.location?.lat == rhs.location?.lat && lhs.location?.lon == rhs.location?.lon
  }
}
