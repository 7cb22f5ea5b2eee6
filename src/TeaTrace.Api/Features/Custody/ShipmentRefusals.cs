using TeaTrace.Api.Common;
using static TeaTrace.Api.Common.Refusal;

namespace TeaTrace.Api.Features.Custody;

/// <summary>Every refusal met when made tea or tins leave the factory: shipments, their delivery notes and their receipts.</summary>
internal static class ShipmentRefusals
{
    public static readonly Noun Shipment = new("shipment", "发货单");

    private static string Day(DateOnly day) => Data.TypeHandlers.Format(day);

    public static Refusal BatchOrLot() =>
        Invalid("batchId", new("A shipment carries either made tea (batchId and kg) or packed tins (lotId and units): give one of batchId and lotId.",
            "发货单要么发成茶（batchId 和 kg），要么发成品罐（lotId 和 units）：batchId 与 lotId 只能填一个。"));

    public static Refusal KgNeeded() =>
        Invalid("kg", new("A shipment of made tea gives its weight: kg.", "发成茶须填写重量 kg。"));

    public static Refusal MadeTeaHasNoUnits() =>
        Invalid("units", new("Made tea is shipped by weight (kg); units are for packed tins (lotId).", "成茶按重量（kg）发货；件数 units 只用于成品罐（lotId）。"));

    public static Refusal UnitsNeeded() =>
        Invalid("units", new("A shipment of packed tins gives how many: units.", "发成品罐须填写件数 units。"));

    public static Refusal TinsHaveNoKg() =>
        Invalid("kg", new("Packed tins are shipped by count (units); their weight follows from the lot's net weight.", "成品罐按件数（units）发货，重量由批号的净含量算出。"));

    public static Refusal NotTheShipper() =>
        Forbidden(new("A factory ships only its own made tea and the tins it packed.", "加工厂只能发运本厂的成茶和本厂包装的成品。"));

    public static Refusal ReceiverNotADistributor(string orgName, string kind)
    {
        var said = Words.Kind(kind);
        return Rule(new("Receiver cannot take shipments", "收货方不能接收发货"),
            new($"Made tea and packed tins are shipped to a distributor; '{orgName}' is a {said.En}.", $"成茶和成品只能发给经销商；“{orgName}”是{said.Zh}。"));
    }

    public static Refusal BatchNotCompleted(string batchCode) =>
        Conflict(new($"Batch {batchCode} is not completed yet; only made tea is shipped.", $"批次 {batchCode} 尚未完成；只能发运成茶。"));

    public static Refusal RecalledBatch(string batchId, string batchCode, string recallId) =>
        Rule(new("Recalled batch", "批次已召回"),
            new($"Batch {batchCode} is under recall {recallId}; its tea cannot be shipped.", $"批次 {batchCode} 已被召回（{recallId}），其茶叶不能发运。"),
            new Dictionary<string, object?> { ["batchId"] = batchId, ["recallId"] = recallId });

    public static Refusal RecalledLot(string lotId, string lotCode, string recallId) =>
        Rule(new("Recalled lot", "批号已召回"),
            new($"Lot {lotCode} is under recall {recallId}; its tins cannot be shipped.", $"批号 {lotCode} 已被召回（{recallId}），其成品不能发运。"),
            new Dictionary<string, object?> { ["lotId"] = lotId, ["recallId"] = recallId });

    public static Refusal NotEnoughMadeTea(string batchId, string batchCode, decimal leftKg, decimal askedKg) =>
        Rule(new("Not enough made tea", "成茶余量不足"),
            new($"Batch {batchCode} has {leftKg} kg of made tea not yet packed or shipped; this shipment asks for {askedKg} kg.",
                $"批次 {batchCode} 只剩 {leftKg} 公斤成茶未包装、未发运，本次发货需要 {askedKg} 公斤。"),
            new Dictionary<string, object?> { ["batchId"] = batchId, ["remainingKg"] = leftKg, ["askedKg"] = askedKg });

    public static Refusal NotEnoughUnits(string lotId, string lotCode, int held, int asked) =>
        Rule(new("Not enough tins", "成品件数不足"),
            new($"Lot {lotCode} has {held} tins held by the shipper and not sold; this shipment asks for {asked}.",
                $"批号 {lotCode} 发货方手上只有 {held} 件未售，本次发货需要 {asked} 件。"),
            new Dictionary<string, object?> { ["lotId"] = lotId, ["remainingUnits"] = held, ["askedUnits"] = asked });

    public static Refusal ShippedBeforeMade(DateTimeOffset completedAt) =>
        Invalid("shippedAt", new($"shippedAt cannot be before the batch was completed ({Data.TypeHandlers.Format(completedAt)}).", $"发货时间不能早于批次完成时间（{Data.TypeHandlers.Format(completedAt)}）。"));

    public static Refusal ShippedBeforePacked(DateOnly packedOn) =>
        Invalid("shippedAt", new($"shippedAt cannot be before the lot was packed ({Day(packedOn)}).", $"发货时间不能早于包装日期（{Day(packedOn)}）。"));

    public static Refusal NotTheReceiver() =>
        Forbidden(new("This shipment goes to another organisation; only its receiver's distributor receives it.", "此发货单发往其他组织；只有收货方的经销商可以收货。"));

    public static Refusal CannotRead() =>
        Forbidden(new("Only the shipper, the receiver and regulators read a shipment through the API.", "只有发货方、收货方和监管部门可通过接口查看发货单。"));

    public static Refusal AlreadyReceived(string number) =>
        Conflict(new($"Delivery note {CertificateNumbers.Display(number)} was already received.", $"发货单 {CertificateNumbers.Display(number)} 已经收货。"));

    public static Refusal ReceivedBeforeShipped() =>
        Invalid("receivedAt", new("receivedAt cannot be before the shipment left.", "收货时间不能早于发货时间。"));

    public static Refusal ReceivedKgNeeded() =>
        Invalid("receivedKg", new("Made tea is weighed in: give receivedKg.", "成茶收货须过磅，请填写 receivedKg。"));

    public static Refusal MadeTeaIsWeighed() =>
        Invalid("receivedUnits", new("Made tea is weighed in (receivedKg); receivedUnits is for packed tins.", "成茶按重量收货（receivedKg）；receivedUnits 只用于成品罐。"));

    public static Refusal TinsAreCounted() =>
        Invalid("receivedKg", new("Packed tins are counted in (receivedUnits); their weight follows from the lot's net weight.", "成品罐按件数收货（receivedUnits），重量由净含量算出。"));

    public static Refusal ReceivedMoreThanShipped(decimal receivedKg, decimal shippedKg) =>
        Rule(new("More than was shipped", "收货重量超过发货重量"),
            new($"The delivery note shipped {shippedKg} kg; {receivedKg} kg cannot have arrived.", $"发货单发出 {shippedKg} 公斤，不可能收到 {receivedKg} 公斤。"),
            new Dictionary<string, object?> { ["shippedKg"] = shippedKg, ["receivedKg"] = receivedKg });

    public static Refusal ReceivedMoreUnitsThanShipped(int receivedUnits, int shippedUnits) =>
        Rule(new("More tins than were shipped", "收货件数超过发货件数"),
            new($"The delivery note shipped {shippedUnits} tins; {receivedUnits} cannot have arrived.", $"发货单发出 {shippedUnits} 件，不可能收到 {receivedUnits} 件。"),
            new Dictionary<string, object?> { ["shippedUnits"] = shippedUnits, ["receivedUnits"] = receivedUnits });

    public static Refusal TooMuchLost(decimal receivedKg, decimal shippedKg, double lossPct, decimal leastKg) =>
        Rule(new("Too much lost on the way", "途中损耗过大"),
            new($"The delivery note shipped {shippedKg} kg of made tea; {receivedKg} kg is more than {lossPct} % lighter (at least {leastKg} kg). Weigh again.",
                $"发货单发出成茶 {shippedKg} 公斤；收到 {receivedKg} 公斤，损耗超过 {lossPct}%（至少应为 {leastKg} 公斤）。请复称。"),
            new Dictionary<string, object?> { ["shippedKg"] = shippedKg, ["receivedKg"] = receivedKg, ["leastKg"] = leastKg });
}
