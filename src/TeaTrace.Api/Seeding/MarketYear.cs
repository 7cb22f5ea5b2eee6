using System.Globalization;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Features.Gardens;
using TeaTrace.Api.Features.Lots;
using TeaTrace.Api.Features.Market;
using TeaTrace.Api.Features.Processing;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Seeding;

/// <summary>
/// A plausible year of the Yingde black tea market for the demo: each picking month (March to November) the
/// cooperative's gardens supply three batches — golden-tip, strip and broken tea — which are packed and then sold a
/// few lots a day, at prices that follow style, grade and season. Everything goes through the real stores and rules,
/// so every harvest, batch, lot and trade is in the ledger; the market figures are then built by the market job.
/// A fixed seed makes the same year every time.
/// </summary>
internal sealed class MarketYear(ILedgerWriter writer, HarvestStore harvests, BatchStore batches, StepStore steps, CompletionStore completions, LotStore lots, TradeStore trades, MarketJobs market, SeedHandOvers handOvers,
    TimeProvider clock)
{
    private sealed record Product(string Style, string Grade, string Plucking, string Name, int NetWeightG, decimal LeafKg, decimal Yield, decimal PricePerUnit, string Gtin);

    private static readonly Product[] Products =
    [
        new("golden-tip", "special", "bud", "英德红茶·金毫茶 特级 100 g", 100, 120m, 0.235m, 398m, Gtin("0690123456003")),
        new("strip", "first", "bud2leaves", "英德红茶·英红九号 一级红条茶 250 g", 250, 320m, 0.245m, 268m, Gtin("0690123456004")),
        new("broken", "second", "bud3leaves", "英德红茶·红碎茶 二级 500 g", 500, 420m, 0.25m, 88m, Gtin("0690123456005")),
    ];

    private static readonly string[] Buyers =
    [
        "广州芳村英红茶行", "深圳茶语茶庄", "英德连江口茶叶店", "佛山禅城茗香阁", "清远新城茶叶超市", "东莞南城茶友会", "线上旗舰店 online store", "香港上环茶庄",
    ];

    private static readonly string[] Markets = ["英德茶叶交易市场", "广州芳村茶叶市场", "线上 online"];

    public async Task SeedAsync(Caller farmer, string plotId, Caller processor, string factoryId, Caller seller, CancellationToken cancellationToken)
    {
        var random = new Random(2026);
        var today = ChinaTime.Today(clock);
        var start = new DateOnly(today.Year - 1, today.Month, 1).AddMonths(-2);
        var stock = new List<(string LotId, int Left, Product Product, DateOnly PackedOn)>();
        for (var month = start; month < today; month = month.AddMonths(1))
        {
            if (month.Month is >= 3 and <= 11 && month.AddDays(12) < today)
            {
                foreach (var product in Products)
                {
                    stock.Add(await MakeLotAsync(month, product, farmer, plotId, processor, factoryId, cancellationToken));
                }
            }

            await SellMonthAsync(month, today, stock, seller, random, cancellationToken);
        }

        // As the jobs would have left it: the last week still open, every older day closed.
        await market.RebuildAsync(TypeHandlers.Format(start), TypeHandlers.Format(today.AddDays(-1)), cancellationToken);
    }

    private async Task<(string, int, Product, DateOnly)> MakeLotAsync(DateOnly month, Product product, Caller farmer, string plotId, Caller processor,
        string factoryId, CancellationToken cancellationToken)
    {
        var picked = month.AddDays(7); // the 8th: clear of the demo garden's pre-harvest interval in March
        var harvest = Check(await harvests.CreateAsync(farmer, new CreateHarvestRequest(plotId, picked, product.Plucking, product.LeafKg), reply: null, cancellationToken));
        var started = new DateTimeOffset(picked.Year, picked.Month, picked.Day, 16, 0, 0, TimeSpan.FromHours(8));
        await handOvers.HandOverAsync(farmer, processor, factoryId, started, [new(harvest.Id, product.LeafKg)], "control", null, 4.0m, cancellationToken);
        var batch = Check(await batches.CreateAsync(processor, new CreateBatchRequest(factoryId, started, true, [new BatchInputRequest(harvest.Id, product.LeafKg)]), reply: null, cancellationToken));
        (string Step, double From, double To)[] schedule = [("withering", 0, 15), ("rolling", 15.2, 16.5), ("fermentation", 16.7, 20), ("drying", 20.2, 22)];
        foreach (var (step, from, to) in schedule)
        {
            Check(await steps.RecordAsync(processor, batch.Id, new RecordStepRequest(step, started.AddHours(from), started.AddHours(to), null), reply: null, cancellationToken));
        }

        var made = decimal.Round(product.LeafKg * product.Yield, 3);
        Check(await completions.CompleteAsync(processor, batch.Id, new CompleteBatchRequest(started.AddHours(23), made, product.Style, product.Grade, 6.0, null), reply: null, cancellationToken));
        var units = (int)(made * 1000 / product.NetWeightG);
        var packedOn = picked.AddDays(4);
        var lot = Check(await lots.CreateAsync(processor, new CreateLotRequest(batch.Id, product.Gtin, product.Name, product.NetWeightG, units, packedOn,
            packedOn.AddYears(2), null), "", reply: null, cancellationToken));
        return (lot.Id, units, product, packedOn);
    }

    /// <summary>A month's trades in one write: a few a day from the lots in stock, each a ledger entry.</summary>
    private async Task SellMonthAsync(DateOnly month, DateOnly today, List<(string LotId, int Left, Product Product, DateOnly PackedOn)> stock, Caller seller,
        Random random, CancellationToken cancellationToken)
    {
        var sales = new List<CreateTradeRequest>();
        for (var day = month; day < month.AddMonths(1) && day < today; day = day.AddDays(1))
        {
            var count = random.Next(1, 6);
            for (var i = 0; i < count; i++)
            {
                var available = stock.Select((s, index) => (s, index)).Where(x => x.s.Left > 0 && x.s.PackedOn < day).ToList();
                if (available.Count == 0)
                {
                    break;
                }

                var (lot, at) = available[random.Next(available.Count)];
                var units = Math.Min(lot.Left, random.Next(2, 24));
                // Spring tea sells dearest; prices drift a little day to day.
                var season = lot.Product.Style == "broken" ? 1m : day.Month is 4 or 5 ? 1.12m : day.Month is >= 9 and <= 11 ? 0.96m : 1m;
                var price = decimal.Round(lot.Product.PricePerUnit * season * (0.92m + ((decimal)random.NextDouble() * 0.16m)), 0);
                var time = new DateTimeOffset(day.Year, day.Month, day.Day, random.Next(9, 18), random.Next(0, 60), 0, TimeSpan.FromHours(8));
                sales.Add(new CreateTradeRequest(lot.LotId, Buyers[random.Next(Buyers.Length)], units, price, time, Markets[random.Next(Markets.Length)], null));
                stock[at] = lot with { Left = lot.Left - units };
            }
        }

        if (sales.Count > 0)
        {
            var written = await writer.WriteAsync(tx =>
            {
                foreach (var sale in sales)
                {
                    if (trades.Record(tx, seller, sale).Refusal is { } refusal)
                    {
                        return (WriteResult<bool>)refusal;
                    }
                }

                return true;
            }, cancellationToken);
            Check(written);
        }
    }

    private static string Gtin(string thirteen) => thirteen + Common.Gtin.CheckDigit(thirteen).ToString(CultureInfo.InvariantCulture);

    private static T Check<T>(WriteResult<T> result) =>
        result.Refusal is { } refusal
            ? throw new InvalidOperationException($"The demo market year could not be loaded ({refusal.Status}): {refusal.Detail}")
            : result.Value!;
}
