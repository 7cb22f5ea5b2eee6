using System.Globalization;
using System.Net;
using System.Text;
using TeaTrace.Api.Common;

namespace TeaTrace.Api.Features.Members;

/// <summary>
/// A member's monthly statement as a page the cooperative prints and hands over (a member often has no phone):
/// Chinese first with English, on A5 or A4.
/// </summary>
internal static class StatementPage
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    private static string Kg(decimal kg) => kg.ToString("0.000", Invariant);

    private static string Cny(decimal? cny) => cny is { } value ? "¥" + value.ToString("#,##0.00", Invariant) : "—";

    private static string Standard(string code) => code switch
    {
        "bud" => "单芽 bud",
        "bud1leaf" => "一芽一叶 bud and 1 leaf",
        "bud2leaves" => "一芽二叶 bud and 2 leaves",
        "bud3leaves" => "一芽三叶 bud and 3 leaves",
        _ => code,
    };

    public static string Render(StatementResponse statement, DateTimeOffset printedAt)
    {
        var member = statement.Member;
        var who = member.Erased ? "（个人信息已删除 personal data erased）" : member.Name;
        var rows = new StringBuilder();
        foreach (var c in statement.Collections)
        {
            rows.Append(CultureInfo.InvariantCulture, $"""
                <tr><td>{E(TeaTrace.Api.Data.TypeHandlers.Format(ChinaTime.DateOf(c.CollectedAt)))}<br><small>{E(TimeOf(c.CollectedAt))}</small></td>
                <td>{E(c.HarvestCode)}<br><small>{E(Standard(c.PluckingStandard))}</small></td>
                <td class="n">{Kg(c.Kg)}</td><td class="n">{Cny(c.PricePerKgCny)}</td><td class="n">{Cny(c.AmountCny)}</td></tr>
                """);
        }

        if (statement.Collections.Count == 0)
        {
            rows.Append("<tr><td colspan=\"5\">本月没有交售记录。No collections this month.</td></tr>");
        }

        return $"""
            <!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>交售对账单 Statement · {E(statement.Month)}</title>
            <link rel="icon" href="/assets/icon.svg" type="image/svg+xml"><link rel="stylesheet" href="/coop/statement.css"></head>
            <body><main class="statement">
            <header><p class="org">{E(statement.OrgName)}</p>
            <h1>鲜叶交售对账单 <span lang="en">Statement of fresh leaf collected</span></h1>
            <p class="month">{E(statement.Month)}</p></header>
            <dl class="member">
            <dt>成员 Member</dt><dd>{E(who)}</dd>
            <dt>村 Village</dt><dd>{E(member.Village)}</dd>
            <dt>成员编号 Member no.</dt><dd>{E(member.Id)}</dd>
            {(member.IdLast4 is { } last4 ? $"<dt>身份证后四位 ID (last 4)</dt><dd>{E(last4)}</dd>" : "")}
            </dl>
            <table><thead><tr><th>交售日期 Date</th><th>采摘记录 Harvest</th><th class="n">重量 kg</th><th class="n">单价 ¥/kg</th><th class="n">金额 Amount</th></tr></thead>
            <tbody>{rows}</tbody>
            <tfoot><tr><th colspan="2">合计 Total（{statement.Collections.Count} 次 collections）</th><th class="n">{Kg(statement.Kg)}</th><th></th><th class="n">{Cny(statement.AmountCny)}</th></tr></tfoot></table>
            <p class="note">金额按实际重量（精确到克）乘以单价计算，每次四舍五入到分。Each amount is the weight to the gram times the price, rounded to the fen.</p>
            <div class="sign"><p>成员签字 Member's signature</p><p>合作社经手人 For the cooperative</p></div>
            <p class="printed">打印时间 Printed {E(TeaTrace.Api.Data.TypeHandlers.Format(printedAt))}</p>
            </main></body></html>
            """;
    }

    private static string TimeOf(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, ChinaTime.Zone).ToString("HH:mm", Invariant);
}
