using TeaTrace.Api.Common;
using static TeaTrace.Api.Common.Refusal;

namespace TeaTrace.Api.Features.Processing;

/// <summary>Every refusal a processor meets when starting, stepping and completing batches, in English and Chinese.</summary>
internal static class ProcessingRefusals
{
    private static string Day(DateOnly day) => Data.TypeHandlers.Format(day);

    private static string Time(DateTimeOffset time) => Data.TypeHandlers.Format(time);

    public static Refusal HarvestListedTwice(string harvestId) =>
        Invalid("inputs", new($"Harvest '{harvestId}' is listed more than once; give its leaf as one input.", $"采摘记录“{harvestId}”重复列出，请合并为一项。"));

    public static Refusal OwnFactoryOnly() =>
        Forbidden(new("A processor records batches only for their own factory.", "加工人员只能为本厂登记批次。"));

    public static Refusal OtherFactory() =>
        Forbidden(new("This batch belongs to another factory.", "这个批次属于其他加工厂。"));

    public static Refusal NotAFactory(string orgName, string kind)
    {
        var said = Words.Kind(kind);
        return Rule(new("Not a factory", "不是加工厂"), new($"Batches are made in factories; '{orgName}' is a {said.En}.", $"批次只能在加工厂加工；“{orgName}”是{said.Zh}。"));
    }

    public static Refusal NotEnoughReceived(string harvestId, string harvestCode, decimal receivedKg, decimal leftKg, decimal requestedKg) =>
        Rule(new("Not enough leaf received", "收到的鲜叶不足"),
            receivedKg == 0
                ? new($"This factory has not received any leaf of harvest {harvestCode}; receive its certificate first. This batch asks for {requestedKg} kg.",
                    $"本厂尚未收到采摘记录 {harvestCode} 的鲜叶，请先凭合格证收货。本批次需要 {requestedKg} 公斤。")
                : new($"This factory received {receivedKg} kg of harvest {harvestCode} and has {leftKg} kg of it left; this batch asks for {requestedKg} kg.",
                    $"本厂收到采摘记录 {harvestCode} 的鲜叶 {receivedKg} 公斤，剩余 {leftKg} 公斤；本批次需要 {requestedKg} 公斤。"),
            new Dictionary<string, object?> { ["harvestId"] = harvestId, ["receivedKg"] = receivedKg, ["remainingKg"] = leftKg, ["requestedKg"] = requestedKg });

    public static Refusal RecalledLeaf(string harvestId, string harvestCode, string recallId) =>
        Rule(new("Recalled leaf", "鲜叶已召回"),
            new($"Harvest {harvestCode} was recalled ({recallId}); its leaf cannot go into a batch.", $"采摘记录 {harvestCode} 已被召回（{recallId}），其鲜叶不能进入批次。"),
            new Dictionary<string, object?> { ["harvestId"] = harvestId, ["recallId"] = recallId });

    public static Refusal GiSegregation(string harvestId, string harvestCode, string plotId, string cultivar) =>
        Rule(new("GI segregation", "地理标志分批要求"),
            new($"Harvest {harvestCode} is not GI-eligible leaf (plot {plotId}, cultivar {cultivar}); a batch that claims the Yingde black tea GI takes GI leaf only.",
                $"采摘记录 {harvestCode} 不是地理标志鲜叶（地块 {plotId}，品种 {cultivar}）；标注英德红茶地理标志的批次只能使用地理标志鲜叶。"),
            new Dictionary<string, object?> { ["harvestId"] = harvestId, ["plotId"] = plotId });

    public static Refusal LeafNotYetPicked(string harvestId, string harvestCode, DateOnly pickedOn) =>
        Rule(new("Leaf not yet picked", "鲜叶尚未采摘"),
            new($"Harvest {harvestCode} was picked on {Day(pickedOn)}, after this batch started.", $"采摘记录 {harvestCode} 的采摘日期是 {Day(pickedOn)}，晚于本批次开始时间。"),
            new Dictionary<string, object?> { ["harvestId"] = harvestId });

    public static Refusal EndedBeforeStarted() =>
        Invalid("endedAt", new("endedAt must be after startedAt.", "结束时间须晚于开始时间。"));

    public static Refusal StepNotEnded() =>
        Invalid("endedAt", new("endedAt cannot be in the future; record a step when it has ended.", "结束时间不能晚于当前时间；工序结束后再登记。"));

    public static Refusal ReadingInvalid(string field, string message) =>
        Invalid(field, new(message, $"读数有误：{message}"));

    public static Refusal ReadingOutsideStep(int index) =>
        Invalid($"readings[{index}].at", new("A step's readings must fall between its startedAt and endedAt.", "工序的读数时间须在该工序的开始和结束之间。"));

    public static Refusal ReadingInTheFuture(int index) =>
        Invalid($"[{index}].at", new("A reading cannot be in the future.", "读数时间不能晚于当前时间。"));

    public static Refusal ReadingsCount(int max) =>
        Invalid("$", new($"Send a JSON array of 1 to {max} readings.", $"请发送 1 到 {max} 条读数组成的 JSON 数组。"));

    public static Refusal ReadingBeforeStart(int index, DateTimeOffset at, DateTimeOffset startedAt) =>
        Rule(new("Reading before the batch started", "读数早于批次开始"),
            new($"Reading [{index}] at {Time(at)} is before the batch started ({Time(startedAt)}).", $"第 [{index}] 条读数时间 {Time(at)} 早于批次开始时间（{Time(startedAt)}）。"));

    public static Refusal AlreadyCompleted() =>
        Conflict(new("This batch is already completed.", "这个批次已经完成。"));

    public static Refusal ReadingsClosed() =>
        Conflict(new("This batch is completed; its readings are closed.", "这个批次已经完成，不再接收读数。"));

    public static Refusal AllStepsRecorded() =>
        Conflict(new("All four steps of this batch are recorded; complete it.", "这个批次的四道工序都已登记，请完成批次。"));

    public static Refusal StepOutOfOrder(string expected, string given) =>
        new(StatusCodes.Status409Conflict, new("Step out of order", "工序顺序不对"),
            new($"Steps go withering → rolling → fermentation → drying; the next step for this batch is {expected}, not {given}.",
                $"工序依次为 萎凋 → 揉捻 → 发酵 → 干燥；这个批次的下一道工序是{Words.Step(expected).Zh}，不是{Words.Step(given).Zh}。"))
        {
            Extensions = new Dictionary<string, object?> { ["expectedStep"] = expected },
        };

    public static Refusal StepStartsTooEarly(string step, string? previous, DateTimeOffset notBefore) =>
        Rule(new("Step starts too early", "工序开始过早"),
            new($"{step} cannot start before {(previous is null ? "the batch started" : previous + " ended")} ({Time(notBefore)}).",
                $"{Words.Step(step).Zh}不能早于{(previous is null ? "批次开始" : Words.Step(previous).Zh + "结束")}（{Time(notBefore)}）。"));

    public static Refusal UnknownStyle(IEnumerable<NamedCode> styles)
    {
        var list = styles.ToList();
        return Invalid("style", new($"style must be one of: {string.Join(", ", list.Select(s => $"{s.Code} ({s.Zh})"))}.",
            $"品类须为以下之一：{string.Join("、", list.Select(s => $"{s.Zh}（{s.Code}）"))}。"));
    }

    public static Refusal UnknownGrade(IEnumerable<NamedCode> grades)
    {
        var list = grades.ToList();
        return Invalid("grade", new($"grade must be one of: {string.Join(", ", list.Select(g => $"{g.Code} ({g.Zh})"))}.",
            $"等级须为以下之一：{string.Join("、", list.Select(g => $"{g.Zh}（{g.Code}）"))}。"));
    }

    public static Refusal NotYetDried(string nextStep) =>
        Conflict(new($"A batch is completed after drying; the next step for this batch is {nextStep}.", $"批次须在干燥之后才能完成；这个批次的下一道工序是{Words.Step(nextStep).Zh}。"));

    public static Refusal CompletedBeforeDried(DateTimeOffset dried) =>
        Rule(new("Completed before drying ended", "完成时间早于干燥结束"),
            new($"completedAt cannot be before drying ended ({Time(dried)}).", $"完成时间不能早于干燥结束时间（{Time(dried)}）。"));

    public static Refusal TooMoist(double maxPct, double moisture) =>
        Rule(new("Too moist", "含水量过高"),
            new($"Finished black tea is dried to at most {maxPct} % moisture; this batch has {moisture} %.", $"成品红茶含水量最高 {maxPct}%；这个批次为 {moisture}%。"),
            new Dictionary<string, object?> { ["maxMoisturePct"] = maxPct });

    public static Refusal MoreTeaThanLeaf(IReadOnlyDictionary<string, object?> band) =>
        Rule(new("More tea than leaf", "成茶重于鲜叶"),
            new("Made tea cannot weigh more than the fresh leaf put into the batch.", "成茶重量不能超过投入的鲜叶重量。"), band);

    public static Refusal OutsideYieldBand(decimal freshKg, decimal minKg, decimal maxKg, decimal madeKg, IReadOnlyDictionary<string, object?> band) =>
        Rule(new("Outside the yield band", "超出出茶率范围"),
            new($"{freshKg} kg of fresh leaf should make between {minKg} and {maxKg} kg of tea; {madeKg} kg is outside that band. Send overrideReason to record it anyway.",
                $"{freshKg} 公斤鲜叶应制成 {minKg} 到 {maxKg} 公斤成茶；{madeKg} 公斤超出此范围。如确需登记，请填写 overrideReason 说明原因。"),
            band);
}
