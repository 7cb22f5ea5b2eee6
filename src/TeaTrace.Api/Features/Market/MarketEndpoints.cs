using System.Globalization;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Errors;
using TeaTrace.Api.Features.Processing;
using TeaTrace.Api.Idempotency;

namespace TeaTrace.Api.Features.Market;

internal static class MarketEndpoints
{
    private const int MaxDays = 3 * 366;

    public static IEndpointRouteBuilder MapMarket(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/trades", CreateTrade)
            .WithTags("Packing and selling")
            .WithSummary("Record a trade: units of a lot sold to a buyer")
            .WithDescription("Units are sold by the organisation that holds them: the lot's packer (an admin sells for it), or a shop that received them by a tin shipment (403 otherwise; tins shipped away are no longer the packer's). The seller's next unsold units of the lot (in packing order) become 'sold'. 422 for more units than the seller holds unsold, a recalled lot, a sale before the lot was packed, or a trade dated on a closed market day (extension: day); unitPriceCny is per unit, to the fen. The price per kg is checked against the kg-weighted median price per kg of the same style and grade over the trade's day and the TeaTrace:Market:PriceLookbackDays before it: outside median ÷/× PriceBandFactor (by default 3, over 90 days), or outside MinPricePerKg–MaxPricePerKg (10–100,000 CNY/kg) at all, it is refused (422 with pricePerKg, minPerKg, maxPerKg, referencePerKg, factor, referenceTrades, referenceFrom, referenceTo) unless overrideReason is given; such a trade is recorded with its reason in the ledger (priceCheck 'override') and kept out of the daily figures. With fewer than MinReferenceTrades (3) recent trades there is no band, only the range: the trade is accepted with priceCheck 'no-reference' and flagged for review in the figures.")
            .Allow("distributor or processor of the organisation that holds the units (the packer, or a shop that received them), admin", Roles.Distributor, Roles.Processor, Roles.Admin)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        var market = app.MapGroup("/api/market").WithTags("Trading information");

        market.MapGet("/daily", Daily)
            .WithSummary("Daily market figures by style and grade")
            .WithDescription($"Days in Asia/Shanghai; from and to default to the last 90 days (at most {MaxDays}). avgPrice is per unit weighted by units; vwapPerKg is total CNY ÷ total kg. Trades recorded outside the price band with an override reason are not in trades, units, volume or prices: they are counted in excludedTrades (prices are null when every trade of the day was excluded). reviewTrades counts trades recorded with no recent prices to check them against; they are in the figures. closed is true once the close has fixed the day, TeaTrace:Market:CloseAfterDays (7) days after it.")
            .Public()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .RequireRateLimiting(RateLimitOptions.PublicPolicy)
            .RequireCors(ProtectionSetup.PublicReadCors);

        market.MapPost("/rebuild", Rebuild)
            .WithSummary("Rebuild the daily figures for a range of days")
            .WithDescription("Enqueues the same job the schedule runs, for every day from..to (at most 3 years); 202 with the job id. Rebuilding gives identical rows. Days at least TeaTrace:Market:CloseAfterDays old are closed (a reopened day closes again); newer days stay open.")
            .Allow("admin", Roles.Admin)
            .ProducesValidationProblem();

        market.MapPost("/days/{date}/reopen", Reopen)
            .WithSummary("Reopen a closed market day for late trades")
            .WithDescription("A closed day refuses trades dated on it. Reopening it, with a reason, is a ledger entry (market.day-reopened); trades may then be dated on it until it closes again, at the next daily close or an admin rebuild that covers it (a market.day-closed entry). 409 when the day is not closed; 400 for a date that is not YYYY-MM-DD in 2000–2099.")
            .Allow("admin", Roles.Admin)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);

        app.MapGet("/api/stats/production", Production)
            .WithTags("Trading information")
            .WithSummary("Production statistics")
            .WithDescription("Fresh leaf picked in the period, grouped by town, cultivar or month; made tea attributed to each harvest by its share of the leaf in completed batches; yieldRatio is made tea over the leaf those batches took; farms and batches are distinct counts.")
            .Public()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .RequireRateLimiting(RateLimitOptions.PublicPolicy)
            .RequireCors(ProtectionSetup.PublicReadCors);

        app.MapGet("/feed/market.atom", Feed)
            .WithTags("Trading information")
            .WithSummary("Atom feed of the daily market figures")
            .WithDescription("One entry per day and product style over the last 60 days; entry ids are stable and updated changes only when the figures do.")
            .Produces<string>(StatusCodes.Status200OK, "application/atom+xml")
            .Public()
            .RequireRateLimiting(RateLimitOptions.PublicPolicy);

        app.MapGet("/market", Page)
            .WithTags("Trading information")
            .WithSummary("The market page: price charts per grade over 90 days and production by town")
            .Produces<string>(StatusCodes.Status200OK, "text/html")
            .Public()
            .RequireRateLimiting(RateLimitOptions.PublicPolicy);

        return app;
    }

    private static async Task<Results<Created<TradeResponse>, ProblemHttpResult>> CreateTrade(
        CreateTradeRequest request, HttpContext http, TradeStore store, CancellationToken cancellationToken)
    {
        var reply = Reply.Created<TradeResponse>(http, trade => $"/api/trades/{trade.Id}");
        var result = await store.RecordAsync(Caller.From(http.User), request, reply, cancellationToken);
        return result.ToCreated(reply);
    }

    private static async Task<Results<Ok<MarketDayState>, ProblemHttpResult>> Reopen(
        string date, ReopenDayRequest request, HttpContext http, MarketStore store, CancellationToken cancellationToken)
    {
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            || day.Year is < BusinessDates.FirstYear or > BusinessDates.LastYear)
        {
            return MarketRefusals.BadDay(BusinessDates.FirstYear, BusinessDates.LastYear).ToProblem();
        }

        var result = await store.ReopenAsync(Caller.From(http.User), day, request.Reason, Reply.Ok<MarketDayState>(http), cancellationToken);
        return result.ToOk();
    }

    private static Results<Ok<IReadOnlyList<MarketDay>>, ProblemHttpResult> Daily(DateOnly? from, DateOnly? to, string? style, string? grade, MarketStore store, TimeProvider clock)
    {
        var end = to ?? ChinaTime.Today(clock);
        var start = from ?? end.AddDays(-89);
        return start > end || end.DayNumber - start.DayNumber > MaxDays
            ? MarketRefusals.Range(MaxDays).ToProblem()
            : TypedResults.Ok(store.Daily(start, end, Blank(style), Blank(grade)));
    }

    private static Results<Accepted<RebuildAccepted>, ProblemHttpResult> Rebuild(RebuildRequest request, IBackgroundJobClient jobs)
    {
        var (from, to) = (request.From!.Value, request.To!.Value);
        if (from > to || to.DayNumber - from.DayNumber > MaxDays)
        {
            return MarketRefusals.Range(MaxDays).ToProblem();
        }

        var id = jobs.Enqueue<MarketJobs>(job => job.RebuildAsync(Data.TypeHandlers.Format(from), Data.TypeHandlers.Format(to), CancellationToken.None));
        return TypedResults.Accepted("/jobs", new RebuildAccepted(from, to, id));
    }

    private static Results<Ok<IReadOnlyList<ProductionGroup>>, ProblemHttpResult> Production(DateOnly? from, DateOnly? to, string? groupBy, MarketStore store, TimeProvider clock)
    {
        var end = to ?? ChinaTime.Today(clock);
        var start = from ?? end.AddDays(-364);
        if (groupBy is not (null or "town" or "cultivar" or "month"))
        {
            return MarketRefusals.GroupBy().ToProblem();
        }

        return start > end
            ? MarketRefusals.FromAfterTo().ToProblem()
            : TypedResults.Ok(store.Production(start, end, groupBy ?? "town"));
    }

    private static ContentHttpResult Feed(HttpContext http, MarketStore store, TimeProvider clock, IOptionsMonitor<ProcessingOptions> options)
    {
        var today = ChinaTime.Today(clock);
        var days = store.Daily(today.AddDays(-59), today, null, null);
        return TypedResults.Text(MarketFeed.Render(days, options.CurrentValue.EffectiveStyles, options.CurrentValue.EffectiveGrades, DigitalLinks.BaseUrl(http)),
            "application/atom+xml; charset=utf-8");
    }

    private static ContentHttpResult Page(HttpContext http, MarketStore store, TimeProvider clock, IOptionsMonitor<ProcessingOptions> options,
        IOptionsMonitor<MarketOptions> rules)
    {
        var today = ChinaTime.Today(clock);
        var from = today.AddDays(-89);
        SecurityHeaders.ForPage(http.Response);
        return TypedResults.Text(MarketPage.Render(store.Daily(from, today, null, null), store.Production(today.AddDays(-364), today, "town"),
            options.CurrentValue.EffectiveStyles, options.CurrentValue.EffectiveGrades, from, today, rules.CurrentValue), "text/html; charset=utf-8");
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
