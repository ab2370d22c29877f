/// Elastic's exact-match table from `event.action` to `event.category` / `event.type` (AWS
/// integration 8.9.0). Versioned Lambda names (`CreateFunction20150331`) are deliberately absent:
/// Elastic matches exactly, so they keep `type: [info]` and get no category.
enum EventCategoryTable {
  static let entries: [String: (category: String, types: [String])] = {
    var table: [String: (String, [String])] = [:]
    func add(_ category: String, _ types: [String], _ actions: [String]) {
      for action in actions { table[action] = (category, types) }
    }
    add("iam", ["group", "change"], ["AddUserToGroup", "AttachGroupPolicy", "DeleteGroupPolicy", "DetachGroupPolicy", "PutGroupPolicy", "RemoveUserFromGroup", "UpdateGroup"])
    add("iam", ["user", "change"], ["AttachUserPolicy", "ChangePassword", "CreateAccessKey", "CreateVirtualMFADevice", "DeactivateMFADevice", "DeleteAccessKey", "DeleteSSHPublicKey", "DeleteUserPermissionsBoundary", "DeleteUserPolicy", "DeleteVirtualMFADevice", "DetachUserPolicy", "EnableMFADevice", "PutUserPermissionsBoundary", "PutUserPolicy", "TagUser", "UntagUser", "UpdateAccessKey", "UpdateLoginProfile", "UpdateSSHPublicKey", "UpdateUser"])
    add("authentication", ["info"], ["AssumeRole", "ConsoleLogin", "GetCallerIdentity"])
    add("file", ["creation"], ["CreateBucket", "CreateDocument"])
    add("file", ["deletion"], ["DeleteBucket", "DeleteObject"])
    add("iam", ["group", "creation"], ["CreateGroup"])
    add("iam", ["group", "deletion"], ["DeleteGroup"])
    add("iam", ["admin", "creation"], ["CreateKeyPair"])
    add("iam", ["user", "creation"], ["CreateUser"])
    add("iam", ["user", "deletion"], ["DeleteUser"])
    add("iam", ["group", "info"], ["GetGroup", "GetGroupPolicy", "ListAttachedGroupPolicies", "ListGroupPolicies", "ListGroups"])
    add("iam", ["user", "info"], ["GetUser", "GetUserPolicy", "ListAttachedUserPolicies", "ListGroupsForUser", "ListUserPolicies", "ListUsers", "ListUserTags"])
    add("iam", ["admin", "change"], ["SetDefaultPolicyVersion", "SetSecurityTokenServicePreferences", "UpdateAccountPasswordPolicy", "UpdateRole"])
    add("host", ["info"], ["DescribeInstances", "DescribeVolumes", "ListInstanceAssociations"])
    add("network", ["info"], ["DescribeSecurityGroups", "DescribeNetworkInterfaces", "DescribeVpcs", "DescribeNetworkAcls", "DescribeLoadBalancers"])
    add("network", ["access"], ["AuthorizeSecurityGroupIngress"])
    add("file", ["info"], ["ListBuckets", "ListObjects", "HeadObject", "GetObject"])
    add("file", ["change"], ["PutObject"])
    add("api", ["info"], ["DescribeRegions", "Publish", "Converse"])
    add("iam", ["info"], ["ListRoles", "GetPolicy", "ListAttachedRolePolicies"])
    add("iam", ["creation"], ["CreatePolicy"])
    add("iam", ["change"], ["AttachRolePolicy"])
    add("configuration", ["info"], ["DescribeTrails"])
    add("configuration", ["creation"], ["CreateTopic"])
    add("configuration", ["change"], ["Subscribe"])
    add("configuration", ["deletion"], ["DeleteTrail"])
    add("package", ["info"], ["ListFunctions"])
    add("database", ["info"], ["ListTables", "DescribeDBInstances"])
    add("process", ["start"], ["SendCommand"])
    add("session", ["start"], ["StartSession", "CreateControlChannel", "OpenControlChannel", "CreateDataChannel", "OpenDataChannel"])
    add("session", ["end"], ["TerminateSession"])
    return table
  }()
}
