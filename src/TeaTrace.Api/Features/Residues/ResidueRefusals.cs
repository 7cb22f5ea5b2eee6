using TeaTrace.Api.Common;
using static TeaTrace.Api.Common.Refusal;

namespace TeaTrace.Api.Features.Residues;

/// <summary>Every refusal met when recording a residue test, or selling leaf on the strength of one, in English and Chinese.</summary>
internal static class ResidueRefusals
{
    public static readonly Noun ResidueTest = new("residue test", "农残检测记录");

    public static Refusal LabLineNeedsPesticide(int index) =>
        Invalid($"results[{index}].pesticide", new("A laboratory result names the pesticide it measured.", "实验室检测结果须写明所检农药。"));

    public static Refusal LabLineNeedsOneValue(int index) =>
        Invalid($"results[{index}].mgPerKg", new("Give either mgPerKg (what was found) or notDetected: true, not both and not neither.",
            "请填写检出量 mgPerKg，或填写未检出 notDetected: true，二者只填其一。"));

    public static Refusal LabLineHasClass(int index) =>
        Invalid($"results[{index}].class", new("A laboratory test gives pesticides, not rapid-test classes; send method rapid for a rapid test.",
            "实验室检测按农药逐项填写，不填速测类别；速测请将 method 设为 rapid。"));

    public static Refusal RapidLineNeedsClass(int index) =>
        Invalid($"results[{index}].class", new("A rapid test result gives the class it tests for (such as organophosphate-carbamate) and its inhibitionPct.",
            "速测结果须填写检测类别（如 organophosphate-carbamate）和抑制率 inhibitionPct。"));

    public static Refusal RapidLineHasPesticide(int index) =>
        Invalid($"results[{index}].pesticide", new("A rapid test answers for a class of pesticides, not for one pesticide; send method lab for a laboratory report.",
            "速测只对一类农药给出结论，不针对单个农药；实验室报告请将 method 设为 lab。"));

    public static Refusal LabNeedsReportNumber() =>
        Invalid("reportNo", new("A laboratory's test needs the number of its test report.", "检测机构的检测须填写检测报告编号。"));

    public static Refusal LabRecordsLabTests() =>
        Rule(new("A laboratory records laboratory tests", "检测机构只登记实验室检测"),
            new("A testing laboratory records its own laboratory tests (method lab); a rapid test is recorded by the garden that made it.",
                "检测机构登记的是本机构的实验室检测（method 为 lab）；速测由做速测的茶园自己登记。"));

    public static Refusal HarvestOfAnotherPlot(string harvestId, string plotId) =>
        Rule(new("Harvest of another plot", "采摘记录不属于该地块"),
            new($"Harvest '{harvestId}' was not picked on plot '{plotId}'. Give a harvest of the tested plot, or leave harvestId out.",
                $"采摘记录“{harvestId}”不是地块“{plotId}”的。请填写被检地块的采摘记录，或不填 harvestId。"),
            new Dictionary<string, object?> { ["harvestId"] = harvestId, ["plotId"] = plotId });

    public static Refusal NoLimitConfigured(string pesticide) =>
        Rule(new("No residue limit configured", "未配置残留限量"),
            new($"TeaTrace has no residue limit for '{pesticide}' on tea, so it cannot judge this result. Ask the administrator to add the limit (GB 2763) to TeaTrace:Residues:Limits, then record the test again.",
                $"系统中没有“{pesticide}”在茶叶上的残留限量，无法判定该结果。请管理员在 TeaTrace:Residues:Limits 中按 GB 2763 配置该限量后，再登记这次检测。"),
            new Dictionary<string, object?> { ["pesticide"] = pesticide });

    public static Refusal UnknownRapidClass(string rapidClass, string known) =>
        Rule(new("Unknown rapid-test class", "未知的速测类别"),
            new($"'{rapidClass}' is not a rapid-test class TeaTrace knows; it knows: {known}. Ask the administrator to add it to TeaTrace:Residues:Classes with the pesticides it detects.",
                $"“{rapidClass}”不是系统已知的速测类别；已知类别：{known}。请管理员在 TeaTrace:Residues:Classes 中添加该类别及其能检出的农药。"),
            new Dictionary<string, object?> { ["class"] = rapidClass });

    public static Refusal RapidPassDisagrees(int index, double inhibitionPct, double thresholdPct) =>
        Rule(new("Rapid test result does not add up", "速测结果前后矛盾"),
            new($"Result {index + 1}: an inhibition of {inhibitionPct} % is {(inhibitionPct >= thresholdPct ? "positive" : "negative")} (positive from {thresholdPct} %), but pass says otherwise. Check the reading, or leave pass out and TeaTrace judges it.",
                $"第 {index + 1} 项：抑制率 {inhibitionPct}% 应判为{(inhibitionPct >= thresholdPct ? "阳性（不合格）" : "阴性（合格）")}（{thresholdPct}% 及以上为阳性），与所填 pass 不符。请核对读数，或不填 pass 由系统判定。"),
            new Dictionary<string, object?> { ["inhibitionPct"] = inhibitionPct, ["positiveFromPct"] = thresholdPct });

    public static Refusal TestsOfOwnPlots() =>
        Forbidden(new("A farmer records residue tests only of their own organisation's plots.", "茶农只能登记本组织地块的农残检测。"));

    public static Refusal LatestTestFailed(string plotName, string plotId, string testId, DateOnly sampledOn)
    {
        var day = Data.TypeHandlers.Format(sampledOn);
        return Rule(new("Latest residue test failed", "最近一次农残检测不合格"),
            new($"The latest residue test of plot '{plotName}' ({plotId}), test {testId} sampled on {day}, failed. Its leaf cannot be sold until a later test passes: have the leaf tested again and record the result.",
                $"地块“{plotName}”（{plotId}）最近一次农残检测（{testId}，{day} 采样）不合格。在之后的检测合格之前，该地块的鲜叶不能出售：请重新送检并登记结果。"),
            new Dictionary<string, object?> { ["plotId"] = plotId, ["testId"] = testId });
    }

    public static Refusal NoPassingTest(string plotName, string plotId, bool entrusted, int lookbackDays)
    {
        Text who = entrusted ? new("a passing test by a laboratory", "检测机构出具的合格检测") : new("a passing test", "合格的检测");
        return Rule(new("No passing residue test", "没有合格的农残检测"),
            new($"Plot '{plotName}' ({plotId}) has no {who.En} among residueTestIds sampled within {lookbackDays} days before picking. Record a test of this plot and give its id, or choose another basis.",
                $"地块“{plotName}”（{plotId}）在 residueTestIds 中没有采摘前 {lookbackDays} 天内采样的{who.Zh}。请先登记该地块的检测并填写其编号，或选择其他依据。"),
            new Dictionary<string, object?> { ["plotId"] = plotId });
    }

    public static Refusal PesticidesNotCovered(string plotName, string plotId, IReadOnlyList<string> uncovered, IReadOnlyList<string> needLab, int lookbackDays)
    {
        var all = string.Join(", ", uncovered);
        var lab = string.Join(", ", needLab);
        var labEn = needLab.Count == 0 ? "" : $" Rapid tests do not detect {lab}: a laboratory test is needed for {(needLab.Count == 1 ? "it" : "them")}.";
        var labZh = needLab.Count == 0 ? "" : $"速测检不出{string.Join("、", needLab)}，须送检测机构做实验室检测。";
        return Rule(new("Test does not cover what was sprayed", "检测未覆盖所用农药"),
            new($"Plot '{plotName}' ({plotId}) was sprayed with {all} within {lookbackDays} days before picking, and no passing test among residueTestIds sampled after the spraying tested for {(uncovered.Count == 1 ? "it" : "them")}.{labEn} Have the leaf tested for what was sprayed and give that test's id.",
                $"地块“{plotName}”（{plotId}）在采摘前 {lookbackDays} 天内施用了{string.Join("、", uncovered)}，而 residueTestIds 中没有施药后采样、检测了这些农药的合格检测。{labZh}请按“用什么药、检什么药”送检，并填写该检测的编号。"),
            new Dictionary<string, object?> { ["plotId"] = plotId, ["uncovered"] = uncovered, ["needLab"] = needLab });
    }
}
