using System.Globalization;
using System.Net;
using System.Text;
using TeaTrace.Api.Common;

namespace TeaTrace.Api.Features.FrontDoor;

/// <summary>The ledger as the front door shows it: its size, and the latest checkpoint when one is signed.</summary>
internal sealed record LedgerPulse(long Size, long? CheckpointSize, DateTimeOffset? SignedAt, string? RootHex);

/// <summary>
/// The front door at /: what TeaTrace is, the code box, a door for each kind of user and the ledger's pulse; and the
/// page an unknown code gets. Server-rendered, Chinese by default with ?lang=en, its style and script from this site.
/// The code box is a plain GET form, so it works without scripts; front.js only adds the camera.
/// </summary>
internal static class FrontDoorPage
{
    public const string JsQrPath = "/vendor/jsqr-1.4.0/jsQR.js";

    public const int EchoLength = 60;

    private sealed record Door(string Audience, string Text, (string Href, string Label)[] Links);

    private sealed record Words(
        string Lang, string Title, string Description, string Brand, string Switch, string Heading, string Intro,
        string CodeTitle, string CodeLabel, string CodeGo, string CodeHint, string Scan, string ScanStop, string Scanning, string NoCamera,
        string ScanFailed, string Found, string WhoTitle, Door[] Doors, string LedgerTitle, string LedgerSize, string LedgerCheckpoint,
        string LedgerNone, string LedgerLink, string UnknownTitle, string UnknownDescription, string Unknown, string NotACode, string UnknownHint, string Home,
        string Footer);

    private static readonly Words Zh = new(
        "zh-CN", "英德红茶溯源 · TeaTrace",
        "英德红茶溯源平台 TeaTrace：输入或扫描茶罐、鲜叶筐、批次标签上的码，查看茶从茶园、采摘、加工到包装的每一步；所有记录写入可公开核对的签名账本。",
        "TeaTrace 英德红茶溯源", "English", "英德红茶，从茶园到茶杯",
        "TeaTrace 记录英德红茶的一生：茶园、投入品和采摘，加工厂里的萎凋、揉捻、发酵和干燥，包装批次和每一罐茶的唯一码。每一条记录都写进签名的公开账本，任何人都能自己核对，不必相信服务器。",
        "查一个码", "茶罐上的码或二维码链接，或鲜叶筐、批次标签上的编号", "查询",
        "例如茶罐上的 12 位码、以 https:// 开头的二维码链接，或 {0}、{1} 这样的标签编号。",
        "用相机扫码", "停止扫码", "请把二维码对准相机…", "无法使用相机：{0}", "此浏览器无法识别二维码，请直接输入。", "已识别，正在打开…",
        "谁在用 TeaTrace",
        [
            new("茶农与合作社", "在手机上记录茶园、投入品和采摘；没有网络时先存在手机上，有网络再发送。", [("/app/", "茶农记录页"), ("/coop/", "合作社收购点")]),
            new("加工厂", "扫鲜叶筐和批次标签组建批次，记录萎凋、揉捻、发酵、干燥的时间和温湿度。", [("/station/", "加工扫码台")]),
            new("茶商与经销商", "包装批次，打印每罐茶的二维码标签，登记成交；每日行情向所有人公开。", [("/market", "交易行情"), ("/docs", "接口文档")]),
            new("消费者", "扫描茶罐上的二维码：茶产自哪个茶园、由谁加工、码是否可能被复制，并在手机上自己验证账本证明。", []),
            new("监管部门", "顺着记录向前、向后追溯，发起召回，审计整个账本；管理员在任务面板查看定时任务。", [("/docs", "接口文档"), ("/jobs", "任务面板")]),
        ],
        "账本", "账本现有 {0} 条记录。", "最新签名检查点覆盖前 {0} 条，签于 {1}（北京时间），根哈希以 {2} 开头。", "还没有签名检查点。", "签名检查点原文",
        "没有找到这个码 · TeaTrace", "TeaTrace 没有找到这个码：请核对茶罐、鲜叶筐或批次标签上的码后再试。",
        "TeaTrace 中没有“{0}”的记录。", "“{0}”不像 TeaTrace 的码。",
        "请核对后再试。如果这个码印在茶叶包装上，它可能不是 TeaTrace 发放的。", "返回首页", "TeaTrace · 英德红茶溯源");

    private static readonly Words En = new(
        "en", "Yingde black tea traceability · TeaTrace",
        "TeaTrace traces Yingde black tea from garden to cup: type or scan the code on a tin, a leaf basket or a batch tag to see every step from harvest to packing, all in a signed public ledger anyone can check.",
        "TeaTrace · Yingde black tea", "中文", "Yingde black tea, recorded from garden to cup",
        "TeaTrace records the life of Yingde black tea: gardens, farm inputs and harvests; withering, rolling, fermentation and drying at the factory; packed lots and a unique code on every tin. Every record goes into a signed public ledger that anyone can check without trusting the server.",
        "Look up a code", "The code or QR link on a tin, or the code on a leaf basket's or a batch's tag", "Look up",
        "For example the 12-character code on a tin, a QR link starting with https://, or a tag code such as {0} or {1}.",
        "Scan with the camera", "Stop scanning", "Point the camera at the QR code…", "The camera cannot be used: {0}",
        "This browser cannot read QR codes; please type the code.", "Found it, opening…",
        "Who uses TeaTrace",
        [
            new("Farmers and cooperatives", "Record gardens, farm inputs and harvests on a phone; without a network they wait on the phone and are sent later.", [("/app/", "Farmer's page"), ("/coop/", "Cooperative's collection point")]),
            new("Factories", "Scan leaf baskets and batch tags to build a batch, and record withering, rolling, fermentation and drying with times and readings.", [("/station/", "Processing station")]),
            new("Sellers and distributors", "Pack lots, print a QR label for every tin and record sales; the daily market figures are open to all.", [("/market", "Market figures"), ("/docs", "API documentation")]),
            new("Consumers", "Scan the QR code on a tin: which garden the tea grew in, who made it, whether the code may have been copied, and a ledger proof your phone checks itself.", []),
            new("Regulators", "Trace records forwards and backwards, issue recalls and audit the whole ledger; admins watch the scheduled jobs on the job dashboard.", [("/docs", "API documentation"), ("/jobs", "Job dashboard")]),
        ],
        "Ledger", "The ledger holds {0} records.", "The latest signed checkpoint covers the first {0}, signed {1} (China time); its root hash starts {2}.",
        "No checkpoint has been signed yet.", "The signed checkpoint",
        "Code not found · TeaTrace", "TeaTrace did not find this code: check the code on the tin, leaf basket or batch tag and try again.",
        "TeaTrace has no record of “{0}”.", "“{0}” does not look like a TeaTrace code.",
        "Check it and try again. If this code is printed on a tea package, TeaTrace may not have issued it.", "Back to the front door",
        "TeaTrace · Yingde black tea traceability");

    public static bool IsEnglish(HttpRequest request) => string.Equals(request.Query["lang"], "en", StringComparison.OrdinalIgnoreCase);

    public static string Render(LedgerPulse ledger, bool english)
    {
        var w = english ? En : Zh;
        var html = Head(w, w.Title, w.Description, english ? "/" : "/?lang=en");
        html.Append("<section class=\"intro\"><h1>").Append(E(w.Heading)).Append("</h1><p>").Append(E(w.Intro)).Append("</p></section>");
        CodeForm(html, w, "", english);
        html.Append("<section class=\"who\"><h2>").Append(E(w.WhoTitle)).Append("</h2><ul class=\"doors\">");
        foreach (var door in w.Doors)
        {
            html.Append("<li><h3>").Append(E(door.Audience)).Append("</h3><p>").Append(E(door.Text)).Append("</p>");
            foreach (var (href, label) in door.Links)
            {
                html.Append("<a class=\"door\" href=\"").Append(href).Append("\">").Append(E(label)).Append("</a> ");
            }

            html.Append("</li>");
        }

        html.Append("</ul></section>");
        Ledger(html, w, ledger);
        return Foot(html, w);
    }

    /// <summary>The page for a code that leads nowhere: what was typed, why, and the box again to try once more.</summary>
    public static string RenderUnknown(TypedCode code, string typed, bool english)
    {
        var w = english ? En : Zh;
        var switchHref = "/go?code=" + Uri.EscapeDataString(typed) + (english ? "" : "&lang=en");
        var html = Head(w, w.UnknownTitle, w.UnknownDescription, switchHref);
        html.Append("<section class=\"unknown\" id=\"unknown\" data-kind=\"").Append(code.Kind.ToString().ToLowerInvariant()).Append("\"><h1>")
            .Append(E(string.Format(CultureInfo.InvariantCulture, code.Kind == CodeKind.NotACode ? w.NotACode : w.Unknown, Echo(typed)))).Append("</h1><p>")
            .Append(E(w.UnknownHint)).Append("</p></section>");
        CodeForm(html, w, typed, english);
        html.Append("<p class=\"home\"><a href=\"").Append(english ? "/?lang=en" : "/").Append("\">").Append(E(w.Home)).Append("</a></p>");
        return Foot(html, w);
    }

    // Anyone can link to this page with any text: it is shown back briefly, without control or bidirectional
    // characters, so that a link cannot make the service's page say something else at length.
    private static string Echo(string typed)
    {
        var clean = new string([.. typed.Where(c => !char.IsControl(c) && c is not (>= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069'))]);
        return clean.Length <= EchoLength ? clean : clean[..(EchoLength - 1)] + "…";
    }

    private static StringBuilder Head(Words w, string title, string description, string switchHref)
    {
        var html = new StringBuilder(12 * 1024);
        html.Append("<!doctype html><html lang=\"").Append(w.Lang).Append("\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>").Append(E(title)).Append("</title>")
            .Append("<meta name=\"description\" content=\"").Append(E(description)).Append("\"><meta name=\"theme-color\" content=\"#6b2d1a\">")
            .Append("<link rel=\"icon\" href=\"/assets/icon.svg\" type=\"image/svg+xml\"><link rel=\"stylesheet\" href=\"/front/front.css\">")
            .Append("<script src=\"/front/front.js\" defer></script></head><body><header class=\"top\"><span class=\"brand\">").Append(E(w.Brand))
            .Append("</span><a class=\"lang\" href=\"").Append(E(switchHref)).Append("\" lang=\"").Append(w.Lang == "en" ? "zh-CN" : "en").Append("\">")
            .Append(E(w.Switch)).Append("</a></header><main>");
        return html;
    }

    private static string Foot(StringBuilder html, Words w) => html.Append("</main><footer>").Append(E(w.Footer)).Append("</footer></body></html>").ToString();

    private static void CodeForm(StringBuilder html, Words w, string value, bool english)
    {
        html.Append("<section class=\"code-box\"><h2>").Append(E(w.CodeTitle)).Append("</h2>")
            .Append("<form method=\"get\" action=\"/go\" id=\"code-form\"><label for=\"code\">").Append(E(w.CodeLabel)).Append("</label>")
            .Append("<div class=\"row\"><input id=\"code\" name=\"code\" type=\"text\" required maxlength=\"").Append(CodeBox.MaxLength)
            .Append("\" autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\" enterkeyhint=\"go\" value=\"").Append(E(value)).Append("\">")
            .Append("<button type=\"submit\">").Append(E(w.CodeGo)).Append("</button></div>");
        if (english)
        {
            html.Append("<input type=\"hidden\" name=\"lang\" value=\"en\">");
        }

        // The example codes must not break at their dash.
        html.Append("</form><p class=\"hint\">").Append(string.Format(CultureInfo.InvariantCulture, E(w.CodeHint), "<span class=\"code\">H-7KQ3M9TX</span>",
                "<span class=\"code\">B-2M8R4TQX</span>")).Append("</p>")
            .Append("<button id=\"scan\" class=\"secondary\" type=\"button\" hidden data-stop=\"").Append(E(w.ScanStop)).Append("\" data-start=\"").Append(E(w.Scan))
            .Append("\" data-looking=\"").Append(E(w.Scanning)).Append("\" data-nocamera=\"").Append(E(w.NoCamera)).Append("\" data-failed=\"").Append(E(w.ScanFailed))
            .Append("\" data-found=\"").Append(E(w.Found)).Append("\" data-jsqr=\"").Append(JsQrPath).Append("\">").Append(E(w.Scan)).Append("</button>")
            .Append("<video id=\"video\" hidden playsinline muted></video><p id=\"scan-status\" class=\"hint\" role=\"status\" aria-live=\"polite\"></p></section>");
    }

    private static void Ledger(StringBuilder html, Words w, LedgerPulse ledger)
    {
        html.Append("<section class=\"ledger\" id=\"ledger\" data-size=\"").Append(ledger.Size.ToString(CultureInfo.InvariantCulture)).Append("\"><h2>")
            .Append(E(w.LedgerTitle)).Append("</h2><p>").Append(E(string.Format(CultureInfo.InvariantCulture, w.LedgerSize, ledger.Size))).Append("</p><p>");
        if (ledger is { CheckpointSize: { } size, SignedAt: { } signedAt, RootHex: { } root })
        {
            var when = TimeZoneInfo.ConvertTime(signedAt, ChinaTime.Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            html.Append(E(string.Format(CultureInfo.InvariantCulture, w.LedgerCheckpoint, size, when, root[..Math.Min(16, root.Length)])))
                .Append(" <a href=\"/api/ledger/checkpoint\">").Append(E(w.LedgerLink)).Append("</a>");
        }
        else
        {
            html.Append(E(w.LedgerNone));
        }

        html.Append("</p></section>");
    }

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
