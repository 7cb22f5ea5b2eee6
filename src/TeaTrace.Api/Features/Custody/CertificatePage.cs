using System.Data;
using System.Globalization;
using System.Net;
using Dapper;
using TeaTrace.Api.Common;
using TeaTrace.Api.Features.LedgerApi;
using TeaTrace.Api.Features.Resolver;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Custody;

/// <summary>What anyone holding a certificate's number sees: the certificate and the proof that the ledger holds its sale.</summary>
internal sealed record PublicCertificate(CertificateResponse Certificate, LedgerProof? Proof);

/// <summary>
/// The public certificate at /c/{number}: the paper that travels with the load, as a page to check at the factory's gate
/// or a market, printable on A6 and on a 58 mm receipt printer (?print=58mm), Chinese first with English.
/// </summary>
internal static class CertificatePage
{
    private const string SelectSaleEntry = "SELECT idx, CAST(body AS BLOB) AS body, leaf_hash FROM ledger_entries WHERE subject_id = @SaleId AND type = '" + EntryTypes.LeafSold + "'";

    private sealed class EntryRow
    {
        public long Idx { get; init; }
        public byte[] Body { get; init; } = [];
        public byte[] LeafHash { get; init; } = [];
    }

    /// <summary>The sale's ledger entry with its inclusion proof in the latest signed checkpoint; null until a checkpoint covers it.</summary>
    public static LedgerProof? Proof(IDbConnection connection, LedgerTree tree, string saleId)
    {
        var entry = connection.QuerySingleOrDefault<EntryRow>(SelectSaleEntry, new { SaleId = saleId });
        var checkpoint = tree.LatestCheckpoint();
        if (entry is null || checkpoint is null || entry.Idx >= checkpoint.Size || tree.Inclusion(entry.Idx, checkpoint.Size) is not { } inclusion)
        {
            return null;
        }

        return new LedgerProof(entry.Idx, EntryTypes.LeafSold, Convert.ToBase64String(entry.Body), Convert.ToHexStringLower(entry.LeafHash), checkpoint.Size,
            inclusion.AuditPath, inclusion.RootHash, checkpoint.Note, checkpoint.VerifierKey, null);
    }

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    private static string Kg(decimal kg) => kg.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset time) => TimeZoneInfo.ConvertTime(time, ChinaTime.Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static Text Basis(string basis) => basis switch
    {
        "control" => new("quality control", "质量安全控制"),
        "self-test" => new("self-test", "自行检测"),
        "entrusted-test" => new("entrusted test", "委托检测"),
        _ => new(basis, basis),
    };

    private static Text Status(string status) => status switch
    {
        "issued" => new("issued, on its way", "已开具，运输中"),
        "received" => new("received", "已收货"),
        "voided" => new("VOID: voided by its issuer", "已作废"),
        "rejected" => new("rejected at the gate", "已拒收"),
        _ => new(status, status),
    };

    public static string Html(PublicCertificate model, bool narrow)
    {
        var c = model.Certificate;
        var status = Status(c.Status);
        var basis = Basis(c.Basis);
        var items = string.Concat(c.Commitment.Select(i => $"<li><span class=\"box\">☑</span> {E(i.Zh)}<br><small lang=\"en\">{E(i.En)}</small></li>"));
        var harvests = string.Concat(c.Harvests.Select(h =>
            $"<tr><td>{E(h.HarvestCode)}</td><td>{E(h.Town)} · {E(h.Cultivar)}</td><td>{h.PickedOn:yyyy-MM-dd}</td><td class=\"n\">{Kg(h.Kg)}</td></tr>"));
        var receipt = c.Receipt is { } r
            ? $"<p class=\"receipt\">由 {E(r.ReceivedBy)} 于 {Time(r.ReceivedAt)} 收货 {Kg(r.ReceivedKg)} 公斤<br><small lang=\"en\">Received by {E(r.ReceivedBy)} on {Time(r.ReceivedAt)}: {Kg(r.ReceivedKg)} kg</small></p>"
            : "";
        var ended = c.Ended is { } end
            ? $"<p class=\"ended\">{E(status.Zh)}：{E(end.Reason)}（{Time(end.At)}）<br><small lang=\"en\">{E(status.En)}: {E(end.Reason)}</small></p>"
            : "";
        var tests = c.ResidueTestIds.Count == 0 ? "" : $"<tr><th>检测记录<br><small>Residue tests</small></th><td>{E(string.Join(", ", c.ResidueTestIds))}</td></tr>";
        var proof = model.Proof is { } p
            ? $"<p class=\"proof\">账本记录 #{p.EntryIndex}，已包含在签名检查点（{p.TreeSize} 条）中 · <small lang=\"en\">Ledger entry #{p.EntryIndex}, proved in the signed checkpoint of {p.TreeSize} entries</small> · <a href=\"/api/ledger/entries/{p.EntryIndex}\">entry</a> · <a href=\"/api/ledger/entries/{p.EntryIndex}/proof?treeSize={p.TreeSize}\">proof</a></p>"
            : "<p class=\"proof\">账本记录已写入，等待下一个签名检查点 · <small lang=\"en\">In the ledger; awaiting the next signed checkpoint</small></p>";
        return $"""
            <!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>承诺达标合格证 {E(c.DisplayNo)} · TeaTrace</title>
            <meta name="description" content="{E($"承诺达标合格证 {c.DisplayNo}：{c.Issuer.Name}，{Kg(c.Kg)} 公斤茶鲜叶。Compliance certificate {c.DisplayNo} for {Kg(c.Kg)} kg of fresh tea leaf.")}">
            <link rel="icon" href="/assets/icon.svg" type="image/svg+xml"><link rel="stylesheet" href="/field/certificate.css"></head>
            <body class="{(narrow ? "narrow" : "a6")}"><main class="certificate status-{E(c.Status)}">
            <header><h1>承诺达标合格证</h1><p lang="en">Compliance certificate for edible farm produce</p>
            <p class="number">№ {E(c.DisplayNo)}</p><p class="status">{E(status.Zh)} · <span lang="en">{E(status.En)}</span></p></header>
            <section><h2>我承诺对生产销售的食用农产品：<br><small lang="en">The issuer commits, for the produce it sells:</small></h2><ul class="items">{items}</ul>
            <p class="version">{E(c.CommitmentVersion)}</p></section>
            <table class="facts">
            <tr><th>承诺依据<br><small>Basis</small></th><td>{E(basis.Zh)} <small lang="en">{E(basis.En)}</small></td></tr>
            {tests}
            <tr><th>产品名称<br><small>Product</small></th><td>{E(c.ProductName)}</td></tr>
            <tr><th>数量<br><small>Quantity</small></th><td>{Kg(c.Kg)} 公斤 kg</td></tr>
            <tr><th>产地<br><small>Origin</small></th><td>{E(c.Origin)}</td></tr>
            <tr><th>开具日期<br><small>Issued</small></th><td>{Time(c.IssuedAt)}</td></tr>
            <tr><th>开具主体<br><small>Issuer</small></th><td>{E(c.Issuer.Name)}（{E(c.Issuer.Town)}）</td></tr>
            <tr><th>联系方式<br><small>Contact</small></th><td>{E(c.Contact ?? "—")}</td></tr>
            <tr><th>收购方<br><small>Buyer</small></th><td>{E(c.Buyer.Name)}（{E(c.Buyer.Town)}）</td></tr>
            </table>
            <p class="loads-inline">采摘记录 Harvests: {E(string.Join(" · ", c.Harvests.Select(h => $"{h.HarvestCode} {h.PickedOn:MM-dd} {Kg(h.Kg)} kg")))}</p>
            <table class="loads"><thead><tr><th>采摘记录 Harvest</th><th>地块 Plot</th><th>采摘日 Picked</th><th class="n">公斤 kg</th></tr></thead><tbody>{harvests}</tbody></table>
            {receipt}{ended}
            <div class="qr">{QrCodes.Svg(c.Url, 240)}</div><p class="link">{E(c.Url)}</p>
            {proof}
            <nav class="noprint"><a href="?print=58mm">58 mm 小票 · receipt printer</a> · <a href="?">A6</a></nav>
            </main></body></html>
            """;
    }
}
