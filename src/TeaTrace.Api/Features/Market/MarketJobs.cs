using Hangfire;
using TeaTrace.Api.Common;
using TeaTrace.Api.Jobs;

namespace TeaTrace.Api.Features.Market;

/// <summary>
/// The market jobs. They take dates (as yyyy-MM-dd text, which every job storage keeps exactly), recompute from the
/// trades, and are safe to run twice or at once: a rebuild writes the same rows.
/// </summary>
internal sealed class MarketJobs(MarketStore market, TimeProvider clock, ILogger<MarketJobs> logger)
{
    public const string RollupId = "market-rollup";
    public const string CloseId = "market-close";

    /// <summary>Every 10 minutes: today and yesterday, which still receive late trades.</summary>
    public async Task RollupAsync(CancellationToken cancellationToken)
    {
        var today = ChinaTime.Today(clock);
        await market.RebuildDayAsync(today.AddDays(-1), close: false, cancellationToken);
        await market.RebuildDayAsync(today, close: false, cancellationToken);
    }

    /// <summary>After midnight in Asia/Shanghai: fix the day before.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        var day = ChinaTime.Today(clock).AddDays(-1);
        var changed = await market.RebuildDayAsync(day, close: true, cancellationToken);
        logger.LogInformation("Closed market day {Day} ({Changed} rows changed)", day, changed);
    }

    /// <summary>Rebuilds every day of a range; days before today are closed.</summary>
    public async Task<int> RebuildAsync(string from, string to, CancellationToken cancellationToken)
    {
        var (first, last) = (DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture));
        var today = ChinaTime.Today(clock);
        var changed = 0;
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            changed += await market.RebuildDayAsync(day, close: day < today, cancellationToken);
        }

        logger.LogInformation("Rebuilt market days {From} to {To} ({Changed} rows changed)", first, last, changed);
        return changed;
    }

    internal sealed class Registration : IRecurringJobRegistration
    {
        public void Register(IRecurringJobManager manager, JobsOptions options)
        {
            manager.AddOrUpdate<MarketJobs>(RollupId, job => job.RollupAsync(CancellationToken.None), options.ScheduleOf(RollupId, "*/10 * * * *"), JobsSetup.InChina);
            manager.AddOrUpdate<MarketJobs>(CloseId, job => job.CloseAsync(CancellationToken.None), options.ScheduleOf(CloseId, "15 0 * * *"), JobsSetup.InChina);
        }
    }
}
