using TeaTrace.Api.Common;
using static TeaTrace.Api.Common.Refusal;

namespace TeaTrace.Api.Features.Orgs;

/// <summary>Refusals of organisations and keys, in English and Chinese.</summary>
internal static class OrgRefusals
{
    public static Refusal RoleDoesNotFit(string role, string orgKind)
    {
        var kind = Words.Kind(orgKind);
        return Rule(new("Role does not fit the organisation", "角色与组织类型不符"),
            new($"A '{role}' key cannot belong to a {kind.En} organisation.", $"“{role}”角色的密钥不能属于{kind.Zh}。"),
            new Dictionary<string, object?> { ["role"] = role, ["orgKind"] = orgKind });
    }

    public static Refusal LastAdminKey() =>
        Conflict(new("This is the last working admin key; issue another admin key before revoking it.", "这是最后一个有效的管理员密钥；请先签发另一个管理员密钥再吊销它。"));

    public static Refusal OtherOrganisation() =>
        Forbidden(new("This key belongs to another organisation.", "此密钥属于其他组织。"));
}
