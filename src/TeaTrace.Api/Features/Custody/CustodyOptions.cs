using System.ComponentModel.DataAnnotations;

namespace TeaTrace.Api.Features.Custody;

/// <summary>Hand-overs: how much lighter a load of leaf or made tea may arrive, and the certificate's commitment text.</summary>
internal sealed class CustodyOptions
{
    public const string SectionName = "TeaTrace:Custody";

    /// <summary>
    /// The commitment items of the 承诺达标合格证, from MoA Order 2025 No. 4 (《农产品质量安全承诺达标合格证管理办法》).
    /// The national template is not yet published: the text is configuration, and each certificate keeps the version and
    /// the words it was issued with.
    /// </summary>
    public static readonly CommitmentItem[] DefaultItems =
    [
        new("不使用禁用农药兽药、停用兽药和非法添加物", "No banned pesticides or veterinary drugs, no withdrawn drugs, no illegal additives"),
        new("遵守农药安全间隔期、兽药休药期规定", "Pre-harvest intervals and withdrawal periods observed"),
        new("常规农药兽药残留不超标", "Residues of the pesticides and drugs used are within the limits"),
        new("对承诺的真实性负责", "The issuer answers for the truth of this commitment"),
    ];

    /// <summary>A load may arrive lighter than sold by at most this per cent (fresh leaf loses water on the way).</summary>
    [Range(0.0, 50.0)]
    public double TransitLossPct { get; set; } = 10.0;

    /// <summary>A shipment of made tea may arrive lighter than shipped by at most this per cent (dry tea barely changes weight).</summary>
    [Range(0.0, 20.0)]
    public double MadeTeaLossPct { get; set; } = 1.0;

    /// <summary>The version of the commitment text below; printed on every certificate issued with it.</summary>
    [Required, StringLength(40, MinimumLength = 1)]
    public string CommitmentVersion { get; set; } = "2025-moa-4";

    public List<CommitmentItem> CommitmentItems { get; set; } = [];

    public IReadOnlyList<CommitmentItem> EffectiveItems => CommitmentItems.Count > 0 ? CommitmentItems : DefaultItems;
}

/// <summary>One item the issuer commits to, in Chinese (the certificate's language) and English.</summary>
internal sealed record CommitmentItem(string Zh, string En)
{
    public CommitmentItem()
        : this("", "")
    {
    }
}
