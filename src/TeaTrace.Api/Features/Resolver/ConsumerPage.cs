using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace TeaTrace.Api.Features.Resolver;

/// <summary>
/// The page a consumer's phone shows after scanning: server-rendered, Chinese by default with an English switch, no
/// scripts, styles or fonts from other hosts. The verdict comes first; the journey from garden to tin follows; the
/// last section re-checks the ledger proof in the browser with WebCrypto (assets/consumer.js).
/// </summary>
internal static class ConsumerPage
{
    private static readonly JsonSerializerOptions ProofJson = new(JsonSerializerDefaults.Web); // default encoder: <, > and & are escaped

    private sealed record Words(
        string Lang, string Title, string Switch, string Ok, string Caution, string Warning, string FirstScan, string Scanned, string NeverIssued,
        string Journey, string Garden, string Harvest, string Factory, string Packed, string Altitude, string BestBefore, string LotCode, string Gi, string GiNone,
        string Certifications, string Verify, string Verifying, string Verified, string VerifyFailed, string NoWebCrypto, string Pending, string Details,
        string Share, string Shared, string Recalled, string Grade, string Moisture, string Yield, string Json, string Entry, string Unknown, string UnknownLot,
        string SignatureUnchecked, string NetWeight, string Description);

    private static readonly Words Zh = new("zh-CN", "英德红茶溯源", "English", "✓ 记录真实可查", "! 请留意", "✕ 警告", "首次查询", "已被查询 {0} 次，首次于 {1}",
        "此码从未发放", "从茶园到茶杯", "茶园", "采摘", "加工", "包装", "海拔", "保质期至", "批号", "地理标志保护产品 · 英德红茶", "本产品不使用英德红茶地理标志",
        "认证", "自行验证", "正在本机验证账本证明…", "✓ 已在本机验证：这条记录在签名的账本中，未被改动。", "✕ 验证失败：记录与签名账本不符。", "此浏览器不支持本机验证。",
        "记录刚刚写入，下一次账本签名（约一分钟内）后可验证。", "技术细节", "报告我的大致位置，帮助识别假冒", "谢谢，已记录大致位置。", "召回", "等级", "含水量", "出茶率",
        "JSON 数据", "账本记录", "未知产品", "此批号不存在于本产品",
        "记录在账本中，未被改动；此浏览器无法核对账本签名（Ed25519），签名未核对。", "净含量",
        "{0}的溯源记录：产自哪个茶园、何时采摘、由谁加工和包装，码是否可能被复制，以及可在手机上自行验证的账本证明。");

    private static readonly Words En = new("en", "Yingde black tea — provenance", "中文", "✓ Genuine record", "! Caution", "✕ Warning", "First scan of this code",
        "Scanned {0} times, first on {1}", "This code was never issued", "From garden to cup", "Garden", "Harvest", "Factory", "Packed", "altitude",
        "best before", "lot", "Protected geographical indication · Yingde black tea", "This product makes no Yingde black tea GI claim", "Certifications",
        "Check it yourself", "Checking the ledger proof on this phone…", "✓ Checked on this phone: this record is in the signed ledger, unchanged.",
        "✕ Check failed: the record does not match the signed ledger.", "This browser cannot run the check.",
        "Just recorded: it can be checked after the next ledger signature (within about a minute).", "Technical details",
        "Report my approximate location to help spot copies", "Thank you, the approximate location was recorded.", "Recall", "grade", "moisture", "yield",
        "JSON data", "Ledger entry", "Unknown product", "This lot does not exist for this product",
        "The record is in the ledger, unchanged; this browser cannot check the ledger's Ed25519 signature, so the signature was not checked.", "Net weight",
        "Provenance of {0}: the garden it grew in, when it was picked, who made and packed it, whether this code may have been copied, and a ledger proof your phone can check.");

    private static readonly Dictionary<string, (string Zh, string En)> Names = new()
    {
        ["withering"] = ("萎凋", "Withering"),
        ["rolling"] = ("揉捻", "Rolling"),
        ["fermentation"] = ("发酵", "Fermentation"),
        ["drying"] = ("干燥", "Drying"),
        ["bud"] = ("单芽", "bud"),
        ["bud1leaf"] = ("一芽一叶", "one bud, one leaf"),
        ["bud2leaves"] = ("一芽二叶", "one bud, two leaves"),
        ["bud3leaves"] = ("一芽三叶", "one bud, three leaves"),
    };

    public static bool IsEnglish(HttpRequest request) => string.Equals(request.Query["lang"], "en", StringComparison.OrdinalIgnoreCase);

    public static string Render(ProvenanceDocument doc, bool english)
    {
        var w = english ? En : Zh;
        var html = new StringBuilder(16 * 1024);
        var title = doc.Product.Name;
        html.Append("<!doctype html><html lang=\"").Append(w.Lang).Append("\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E(title)).Append(" · ").Append(E(w.Title)).Append("</title>")
            .Append("<meta name=\"description\" content=\"").Append(E(string.Format(CultureInfo.InvariantCulture, w.Description, title))).Append("\">")
            .Append("<link rel=\"icon\" href=\"/assets/icon.svg\" type=\"image/svg+xml\"><link rel=\"stylesheet\" href=\"/assets/consumer.css\"><script src=\"/assets/consumer.js\" defer></script></head><body>");
        html.Append("<header class=\"top\"><span class=\"brand\">").Append(E(w.Title)).Append("</span><a class=\"lang\" href=\"")
            .Append(E(english ? "?" : "?lang=en")).Append("\">").Append(E(w.Switch)).Append("</a></header><main>");

        Verdict(html, doc, w, english);
        html.Append("<section class=\"gi ").Append(doc.Product.GiClaim ? "gi-yes" : "gi-no").Append("\">")
            .Append(E(doc.Product.GiClaim ? w.Gi : w.GiNone)).Append("</section>");
        if (doc.Lot is not null && doc.Batch is not null)
        {
            Journey(html, doc, w, english);
        }

        if (doc.Certifications.Count > 0)
        {
            html.Append("<section class=\"certs\"><h2>").Append(E(w.Certifications)).Append("</h2><p>")
                .Append(E(string.Join(" · ", doc.Certifications))).Append("</p></section>");
        }

        VerifySection(html, doc, w);
        if (doc.Unit?.ScanToken is { } token)
        {
            html.Append("<section class=\"place\"><button id=\"share-place\" type=\"button\" data-token=\"").Append(E(token)).Append("\" data-done=\"")
                .Append(E(w.Shared)).Append("\">").Append(E(w.Share)).Append("</button></section>");
        }

        html.Append("</main><footer>");
        if (doc.Proof is { } p)
        {
            html.Append(E(w.Entry)).Append(" #").Append(p.EntryIndex.ToString(CultureInfo.InvariantCulture)).Append(" · ");
        }

        html.Append("<a href=\"?linkType=gs1:traceability\">").Append(E(w.Json)).Append("</a> · TeaTrace</footer></body></html>");
        return html.ToString();
    }

    private static void Verdict(StringBuilder html, ProvenanceDocument doc, Words w, bool english)
    {
        var level = doc.Risk.Level;
        html.Append("<section id=\"verdict\" class=\"verdict verdict-").Append(level).Append("\" data-level=\"").Append(level).Append("\"><h1>")
            .Append(E(level switch { Risk.Ok => w.Ok, Risk.Caution => w.Caution, _ => w.Warning })).Append("</h1><p class=\"product\">")
            .Append(E(doc.Product.Name)).Append("</p>");
        if (doc.Product.NetWeightG is { } grams)
        {
            html.Append("<p class=\"net-weight\">").Append(E(w.NetWeight)).Append(' ')
                .Append(grams < 1000 ? $"{grams} g" : $"{(grams / 1000m).ToString("0.###", CultureInfo.InvariantCulture)} kg").Append("</p>");
        }

        if (doc.Risk.Reasons.Count > 0)
        {
            html.Append("<ul class=\"reasons\">");
            foreach (var reason in doc.Risk.Reasons)
            {
                html.Append("<li data-code=\"").Append(E(reason.Code)).Append("\">").Append(E(english ? reason.Message : reason.MessageZh)).Append("</li>");
            }

            html.Append("</ul>");
        }

        foreach (var recall in doc.Recalls)
        {
            html.Append("<p class=\"recall\">").Append(E(w.Recalled)).Append(": ").Append(E(recall.Reason)).Append("</p>");
        }

        if (doc.Unit is { } unit)
        {
            var scans = !unit.Issued ? w.NeverIssued
                : unit.FirstScan ? w.FirstScan
                : string.Format(CultureInfo.InvariantCulture, w.Scanned, unit.ScanCount, unit.FirstScanAt?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
            html.Append("<p class=\"scans\" id=\"scans\">").Append(E(scans)).Append("</p>");
        }
        else if (doc.Lot is null)
        {
            html.Append("<p class=\"scans\">").Append(E(w.UnknownLot)).Append("</p>");
        }

        html.Append("</section>");
    }

    private static void Journey(StringBuilder html, ProvenanceDocument doc, Words w, bool english)
    {
        var lot = doc.Lot!;
        var batch = doc.Batch!;
        html.Append("<section class=\"journey\"><h2>").Append(E(w.Journey)).Append("</h2><ol class=\"timeline\">");
        foreach (var origin in doc.Origins)
        {
            html.Append("<li class=\"step garden\"><h3>").Append(E(w.Garden)).Append("</h3><p>").Append(E(origin.Town)).Append(" · ").Append(E(origin.PlotName))
                .Append(" · ").Append(E(origin.Cultivar));
            if (origin.AltitudeM is { } altitude)
            {
                html.Append(" · ").Append(E(w.Altitude)).Append(' ').Append(altitude.ToString("0", CultureInfo.InvariantCulture)).Append(" m");
            }

            html.Append("</p><p class=\"who\">").Append(E(origin.Farm)).Append("</p></li>");
            html.Append("<li class=\"step harvest\"><h3>").Append(E(w.Harvest)).Append("</h3><p><time>").Append(D(origin.PickedOn)).Append("</time> · ")
                .Append(E(Name(origin.PluckingStandard, english))).Append(" · ").Append(origin.Kg.ToString(CultureInfo.InvariantCulture)).Append(" kg</p></li>");
        }

        // Each hand-over of the leaf, with the certificate that travelled with it and what arrived.
        foreach (var handOver in doc.Custody)
        {
            html.Append("<li class=\"step handover\"><h3>").Append(english ? "Handed over" : "交接").Append("</h3><p>").Append(E(handOver.From)).Append(" → ")
                .Append(E(handOver.To)).Append("</p><p>").Append(english ? "Certificate " : "合格证 ").Append("<a href=\"/c/").Append(E(handOver.Number)).Append("\">")
                .Append(E(handOver.Number)).Append("</a> · ").Append(E(Basis(handOver.Basis, english))).Append(" · ")
                .Append(handOver.Kg.ToString(CultureInfo.InvariantCulture)).Append(" kg");
            if (handOver.ReceivedKg is { } received)
            {
                html.Append(english ? " · received " : " · 实收 ").Append(received.ToString(CultureInfo.InvariantCulture)).Append(" kg");
            }

            foreach (var test in handOver.Tests)
            {
                html.Append(" · ").Append(english ? (test.Method == "lab" ? "lab test " : "rapid test ") : (test.Method == "lab" ? "实验室检测 " : "速测 "))
                    .Append(D(test.SampledOn)).Append(' ').Append(test.Verdict == "pass" ? (english ? "passed" : "合格") : (english ? "FAILED" : "不合格"));
            }

            html.Append("</p></li>");
        }

        html.Append("<li class=\"step factory\"><h3>").Append(E(w.Factory)).Append("</h3><p>").Append(E(batch.Factory.Name)).Append(" · ").Append(E(batch.Factory.Town))
            .Append("</p><ul class=\"process\">");
        foreach (var step in batch.Steps)
        {
            html.Append("<li><b>").Append(E(Name(step.Step, english))).Append("</b> <time>").Append(T(step.StartedAt)).Append("</time> → <time>")
                .Append(T(step.EndedAt)).Append("</time>");
            if (step.Readings.Count > 0)
            {
                html.Append(" · ").Append(step.Readings.MinTemperatureC?.ToString("0.#", CultureInfo.InvariantCulture)).Append('–')
                    .Append(step.Readings.MaxTemperatureC?.ToString("0.#", CultureInfo.InvariantCulture)).Append(" °C, ")
                    .Append(step.Readings.AvgHumidityPct?.ToString("0", CultureInfo.InvariantCulture)).Append(" %RH");
            }

            html.Append("</li>");
        }

        html.Append("</ul><p class=\"facts\">");
        if (doc.Product.Style is { } style)
        {
            html.Append(E(english ? style.En : style.Zh));
        }

        if (doc.Product.Grade is { } grade)
        {
            html.Append(" · ").Append(E(english ? grade.En : grade.Zh));
        }

        if (batch.MoisturePct is { } moisture)
        {
            html.Append(" · ").Append(E(w.Moisture)).Append(' ').Append(moisture.ToString("0.#", CultureInfo.InvariantCulture)).Append(" %");
        }

        if (batch.MadeTeaKg is { } made)
        {
            html.Append(" · ").Append(batch.FreshLeafKg.ToString(CultureInfo.InvariantCulture)).Append(" kg → ").Append(made.ToString(CultureInfo.InvariantCulture)).Append(" kg");
        }

        html.Append("</p></li><li class=\"step packed\"><h3>").Append(E(w.Packed)).Append("</h3><p><time>").Append(D(lot.PackedOn)).Append("</time> · ")
            .Append(E(w.LotCode)).Append(' ').Append(E(lot.Code));
        if (lot.BestBefore is { } bestBefore)
        {
            html.Append(" · ").Append(E(w.BestBefore)).Append(' ').Append(D(bestBefore));
        }

        html.Append("</p><p class=\"who\">").Append(E(lot.Packer.Name)).Append("</p></li></ol></section>");
    }

    private static void VerifySection(StringBuilder html, ProvenanceDocument doc, Words w)
    {
        html.Append("<section class=\"verify\" id=\"verify\" data-ok=\"").Append(E(w.Verified)).Append("\" data-fail=\"").Append(E(w.VerifyFailed))
            .Append("\" data-unsupported=\"").Append(E(w.NoWebCrypto)).Append("\" data-unchecked=\"").Append(E(w.SignatureUnchecked)).Append("\"><h2>").Append(E(w.Verify)).Append("</h2><p id=\"verify-status\" class=\"pending\">")
            .Append(E(doc.Proof is null ? w.Pending : w.Verifying)).Append("</p>");
        if (doc.Proof is { } proof)
        {
            var data = new
            {
                proof.EntryIndex,
                proof.EntryBody,
                proof.LeafHash,
                proof.TreeSize,
                proof.AuditPath,
                proof.RootHash,
                proof.Checkpoint,
                proof.VerifierKey,
                Gtin = doc.Product.Gtin,
                LotCode = doc.Lot?.Code,
                Serial = doc.Unit is { Issued: true } unit ? unit.Serial : null,
                SerialProof = proof.Serial,
            };
            html.Append("<details><summary>").Append(E(w.Details)).Append("</summary><pre class=\"checkpoint\">").Append(E(proof.Checkpoint)).Append("</pre><p>")
                .Append(E(w.Entry)).Append(" #").Append(proof.EntryIndex.ToString(CultureInfo.InvariantCulture)).Append(" · leaf ").Append(E(proof.LeafHash[..16]))
                .Append("…</p></details><script type=\"application/json\" id=\"proof-data\">").Append(JsonSerializer.Serialize(data, ProofJson)).Append("</script>");
        }

        html.Append("</section>");
    }

    private static string Name(string code, bool english) => Names.TryGetValue(code, out var n) ? (english ? n.En : n.Zh) : code;

    private static string D(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string T(DateTimeOffset time) => time.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    private static string Basis(string basis, bool english) => basis switch
    {
        "control" => english ? "quality control" : "质量安全控制",
        "self-test" => english ? "self-tested" : "自行检测",
        "entrusted-test" => english ? "tested by a laboratory" : "委托检测",
        _ => basis,
    };
}
