using TeaTrace.Api.Common;
using static TeaTrace.Api.Common.Refusal;

namespace TeaTrace.Api.Features.Custody;

/// <summary>Every refusal met when leaf changes hands: sales and their certificates, receipts, rejections, voids.</summary>
internal static class CustodyRefusals
{
    private static string Day(DateOnly day) => Data.TypeHandlers.Format(day);

    public static Refusal CertificateNumberShape() =>
        Invalid("certificateNo", new("A certificate number is 12 letters and digits (Crockford base 32, as printed: XXXX-XXXX-XXXX).",
            "合格证编号为 12 位字母和数字（印刷格式 XXXX-XXXX-XXXX）。"));

    public static Refusal CertificateNumberTaken(string number) =>
        Conflict(new($"Certificate number {CertificateNumbers.Display(number)} is already taken; this certificate is void. Issue the sale again with a new number.",
            $"合格证编号 {CertificateNumbers.Display(number)} 已被占用，此证作废。请用新编号重新开具。"));

    public static Refusal HarvestListedTwice(string harvestId) =>
        Invalid("harvests", new($"Harvest '{harvestId}' is listed more than once; give its leaf as one line.", $"采摘记录“{harvestId}”重复列出，请合并为一项。"));

    public static Refusal TestsNeeded(string basis) =>
        Invalid("residueTestIds", new($"A sale on the basis '{basis}' names the residue tests it rests on.", $"依据为“{basis}”的销售须填写所依据的农残检测记录。"));

    public static Refusal SellOwnLeafOnly() =>
        Forbidden(new("A farmer sells only leaf their own organisation holds.", "茶农只能销售本组织持有的鲜叶。"));

    public static Refusal BuyerNotAFactoryOrCooperative(string orgName, string kind)
    {
        var said = Words.Kind(kind);
        return Rule(new("Buyer cannot buy fresh leaf", "买方不能收购鲜叶"),
            new($"Fresh leaf is sold to a factory or a cooperative; '{orgName}' is a {said.En}.", $"鲜叶只能卖给加工厂或合作社；“{orgName}”是{said.Zh}。"));
    }

    public static Refusal SellerCannotSell(string orgName, string kind)
    {
        var said = Words.Kind(kind);
        return Rule(new("Seller cannot sell fresh leaf", "卖方不能销售鲜叶"),
            new($"Fresh leaf is sold by a farm or a cooperative; '{orgName}' is a {said.En}.", $"鲜叶由家庭茶园或合作社销售；“{orgName}”是{said.Zh}。"));
    }

    public static Refusal SellingToItself() =>
        Rule(new("Sale to oneself", "不能卖给自己"), new("A sale hands leaf to another organisation; the buyer is the seller.", "销售是把鲜叶交给另一个组织；买方不能是卖方自己。"));

    public static Refusal NotEnoughUnsold(string harvestId, string harvestCode, decimal leftKg, decimal askedKg) =>
        Rule(new("Not enough unsold leaf", "未售鲜叶不足"),
            new($"Harvest {harvestCode} has {leftKg} kg of leaf unsold; this sale asks for {askedKg} kg.",
                $"采摘记录 {harvestCode} 只剩 {leftKg} 公斤鲜叶未售，本次销售需要 {askedKg} 公斤。"),
            new Dictionary<string, object?> { ["harvestId"] = harvestId, ["leftKg"] = leftKg, ["askedKg"] = askedKg });

    public static Refusal RecalledLeaf(string harvestId, string harvestCode, string recallId) =>
        Rule(new("Recalled leaf", "鲜叶已召回"),
            new($"Harvest {harvestCode} was recalled ({recallId}); its leaf cannot be sold.", $"采摘记录 {harvestCode} 已被召回（{recallId}），其鲜叶不能销售。"),
            new Dictionary<string, object?> { ["harvestId"] = harvestId, ["recallId"] = recallId });

    public static Refusal SoldBeforePicked(string harvestCode, DateOnly pickedOn) =>
        Rule(new("Leaf not yet picked", "鲜叶尚未采摘"),
            new($"Harvest {harvestCode} was picked on {Day(pickedOn)}, after this sale.", $"采摘记录 {harvestCode} 的采摘日期是 {Day(pickedOn)}，晚于本次销售。"));

    public static Refusal NotTheIssuer() =>
        Forbidden(new("Only the organisation that issued this certificate may void it.", "只有开具此合格证的组织才能作废。"));

    public static Refusal NotTheBuyer() =>
        Forbidden(new("This certificate was issued to another organisation; only its buyer receives or rejects the load.", "此合格证开给其他组织；只有买方可以收货或拒收。"));

    public static Refusal WrongRoleForBuyer() =>
        Forbidden(new("A factory's processor or a cooperative's farmer receives leaf for their own organisation.", "鲜叶由加工厂的加工人员或合作社的茶农为本组织收货。"));

    public static Refusal CannotRead() =>
        Forbidden(new("Only the issuer, the buyer and regulators read a certificate through the API; anyone may open its public page /c/{number}.",
            "只有开证方、买方和监管部门可通过接口查看合格证；任何人都可打开其公开页面 /c/{编号}。"));

    public static Refusal AlreadyReceived(string number) =>
        Conflict(new($"Certificate {CertificateNumbers.Display(number)} was already received; to correct the weight, send a receipt with correctsReceiptId.",
            $"合格证 {CertificateNumbers.Display(number)} 已经收货；如需更正重量，请提交带 correctsReceiptId 的收货记录。"));

    public static Refusal Ended(string number, string kind) => kind == "voided"
        ? Conflict(new($"Certificate {CertificateNumbers.Display(number)} was voided by its issuer; the load cannot be received or rejected.", $"合格证 {CertificateNumbers.Display(number)} 已被开证方作废，不能收货或拒收。"))
        : Conflict(new($"The load of certificate {CertificateNumbers.Display(number)} was rejected at the gate.", $"合格证 {CertificateNumbers.Display(number)} 的鲜叶已被拒收。"));

    public static Refusal ReceivedCannotEnd(string number) =>
        Conflict(new($"Certificate {CertificateNumbers.Display(number)} was already received; a received load is neither voided nor rejected.",
            $"合格证 {CertificateNumbers.Display(number)} 已经收货；已收货的鲜叶不能作废或拒收。"));

    public static Refusal NothingToCorrect(string number) =>
        Conflict(new($"Certificate {CertificateNumbers.Display(number)} has not been received; send a receipt without correctsReceiptId.",
            $"合格证 {CertificateNumbers.Display(number)} 尚未收货；请提交不带 correctsReceiptId 的收货记录。"));

    public static Refusal NotTheCurrentReceipt(string receiptId, string currentId) =>
        Conflict(new($"Receipt '{receiptId}' is not the receipt that counts for this certificate ('{currentId}' is); correct that one.",
            $"收货记录“{receiptId}”不是此合格证当前有效的记录（当前为“{currentId}”），请更正那一条。"));

    public static Refusal ReceivedMoreThanSold(decimal receivedKg, decimal soldKg) =>
        Rule(new("More than was sold", "收货重量超过销售重量"),
            new($"The certificate sold {soldKg} kg; {receivedKg} kg cannot have arrived.", $"合格证销售 {soldKg} 公斤，不可能收到 {receivedKg} 公斤。"),
            new Dictionary<string, object?> { ["soldKg"] = soldKg, ["receivedKg"] = receivedKg });

    public static Refusal TooMuchLost(decimal receivedKg, decimal soldKg, double lossPct, decimal leastKg) =>
        Rule(new("Too much lost on the way", "途中损耗过大"),
            new($"The certificate sold {soldKg} kg; {receivedKg} kg is more than {lossPct} % lighter (at least {leastKg} kg). Weigh again, or reject the load with a reason.",
                $"合格证销售 {soldKg} 公斤；收到 {receivedKg} 公斤，损耗超过 {lossPct}%（至少应为 {leastKg} 公斤）。请复称，或注明原因拒收。"),
            new Dictionary<string, object?> { ["soldKg"] = soldKg, ["receivedKg"] = receivedKg, ["leastKg"] = leastKg });

    public static Refusal ReceivedBeforeSold() =>
        Invalid("receivedAt", new("receivedAt cannot be before the certificate was issued.", "收货时间不能早于合格证开具时间。"));

    public static Refusal RejectedBeforeSold() =>
        Invalid("rejectedAt", new("rejectedAt cannot be before the certificate was issued.", "拒收时间不能早于合格证开具时间。"));

    public static Refusal PurchaseLedgerOfOwnOrganisation() =>
        Forbidden(new("A factory or cooperative reads only its own purchase ledger.", "加工厂或合作社只能查看本组织的收购台账。"));

    public static Refusal DayRequired() =>
        Invalid("day", new("day is a date, YYYY-MM-DD.", "day 须为日期，格式 YYYY-MM-DD。"));
}
