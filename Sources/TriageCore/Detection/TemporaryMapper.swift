enum TemporaryMapper { static func map(_ r: JSONObject, original: String) -> JSONObject { JSONObject() } }
