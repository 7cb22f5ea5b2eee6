using TeaTrace.Api.Common;
using static TeaTrace.Api.Common.Refusal;

namespace TeaTrace.Api.Features.Lots;

/// <summary>Refusals of packing lots and reading their units, in English and Chinese.</summary>
internal static class LotRefusals
{
    private static string Day(DateOnly day) => Data.TypeHandlers.Format(day);

    public static Refusal GtinCheckDigit(string first13, int checkDigit) =>
        Invalid("gtin", new($"The GTIN check digit is wrong: {first13} needs check digit {checkDigit}.", $"GTIN 校验位有误：{first13} 的校验位应为 {checkDigit}。"));

    public static Refusal GtinDigits() =>
        Invalid("gtin", new("gtin is a GTIN-14: 14 digits.", "gtin 须为 14 位数字的 GTIN-14。"));

    public static Refusal NetWeightTooSmall(int netWeightG, int minNetWeightG) =>
        Rule(new("Net weight too small", "净含量过小"),
            new($"A unit of {netWeightG} g is lighter than the smallest usual pack ({minNetWeightG} g); check netWeightG, or send overrideReason to pack it anyway.",
                $"每件 {netWeightG} 克，小于常见最小包装（{minNetWeightG} 克）；请检查 netWeightG，如确需包装请填写 overrideReason 说明原因。"),
            new Dictionary<string, object?> { ["netWeightG"] = netWeightG, ["minNetWeightG"] = minNetWeightG });

    public static Refusal BestBeforeAfterPacking() =>
        Invalid("bestBefore", new("bestBefore must be after packedOn.", "保质期须晚于包装日期。"));

    public static Refusal OwnFactoryBatches() =>
        Forbidden(new("A processor packs only its own factory's batches.", "加工厂只能包装本厂的批次。"));

    public static Refusal BatchNotCompleted() =>
        Conflict(new("This batch is not completed yet; lots are packed from made tea.", "这个批次尚未完成；只有成茶才能包装。"));

    public static Refusal RecalledBatch(string batchId, string batchCode, string recallId) =>
        Rule(new("Recalled batch", "批次已召回"),
            new($"Batch {batchCode} is under recall {recallId}; its tea cannot be packed.", $"批次 {batchCode} 已被召回（{recallId}），其茶叶不能包装。"),
            new Dictionary<string, object?> { ["batchId"] = batchId, ["recallId"] = recallId });

    public static Refusal PackedBeforeMade(DateOnly completedOn) =>
        Rule(new("Packed before made", "包装早于制成"),
            new($"packedOn cannot be before the batch was completed ({Day(completedOn)}).", $"包装日期不能早于批次完成日期（{Day(completedOn)}）。"));

    public static Refusal MoreThanBatchHasLeft(int unitCount, int netWeightG, decimal requestedKg, string batchId, string batchCode, decimal remainingKg) =>
        Rule(new("More tea than the batch has left", "批次成茶余量不足"),
            new($"{unitCount} × {netWeightG} g is {requestedKg} kg; batch {batchCode} has {remainingKg} kg of made tea left.",
                $"{unitCount} × {netWeightG} 克共 {requestedKg} 公斤；批次 {batchCode} 只剩 {remainingKg} 公斤成茶。"),
            new Dictionary<string, object?> { ["batchId"] = batchId, ["remainingKg"] = remainingKg, ["requestedKg"] = requestedKg });

    public static Refusal MoreThanReceived(int unitCount, int netWeightG, decimal requestedKg, string batchId, string batchCode, decimal receivedKg, decimal remainingKg) =>
        Rule(new("More tea than was received", "收到的成茶不足"),
            new($"{unitCount} × {netWeightG} g is {requestedKg} kg; of batch {batchCode} this organisation received {receivedKg} kg of made tea and has {remainingKg} kg left to pack. A distributor packs only made tea shipped to it and received.",
                $"{unitCount} × {netWeightG} 克共 {requestedKg} 公斤；本组织收到批次 {batchCode} 的成茶 {receivedKg} 公斤，尚余 {remainingKg} 公斤可包装。经销商只能包装发给自己并已收货的成茶。"),
            new Dictionary<string, object?> { ["batchId"] = batchId, ["receivedKg"] = receivedKg, ["remainingKg"] = remainingKg, ["requestedKg"] = requestedKg });

    public static Refusal GtinOfAnotherOrganisation(string gtin) =>
        Rule(new("GTIN of another organisation", "GTIN 属于其他组织"),
            new($"GTIN {gtin} was first packed by another organisation and belongs to it; pack under your own GTIN.",
                $"GTIN {gtin} 由其他组织首先使用，属于该组织；请使用本组织自己的 GTIN。"),
            new Dictionary<string, object?> { ["gtin"] = gtin });

    public static Refusal GtinNotUnderPrefix(string gtin, string prefix) =>
        Rule(new("GTIN outside the company prefix", "GTIN 不在本厂商识别代码下"),
            new($"GTIN {gtin} does not carry this organisation's GS1 company prefix {prefix} (read from its second digit on).",
                $"GTIN {gtin} 不含本组织的 GS1 厂商识别代码 {prefix}（从第二位读起）。"),
            new Dictionary<string, object?> { ["gtin"] = gtin, ["gs1CompanyPrefix"] = prefix });

    public static Refusal OtherOrganisationsUnit() =>
        Forbidden(new("This unit belongs to another organisation's lot.", "这件单品属于其他组织的批号。"));
}
