using Hangfire;
using Microsoft.Extensions.Options;
using TeaTrace.Api.Common;
using TeaTrace.Api.Jobs;

namespace TeaTrace.Api.Features.Market;

/// <summary>
/// The market jobs. They take dates (as yyyy-MM-dd text, which every job storage keeps exactly), recompute from the
/// trades, and are safe to run twice or at once: a rebuild writes the same rows, and a day is closed once.
/// A day closes when it is TeaTrace:Market:CloseAfterDays old, never sooner, so late trades still go in.
/// </summary>
internal sealed class MarketJobs(MarketStore market, TimeProvider clock, IOptionsMonitor<MarketOptions> options, ILogger<MarketJobs> logger)
{
    public const string RollupId = "market-rollup";
    public const string CloseId = "market-close";

    // Nights the close looks back over, so that days without trades are fixed too after the service was down.
    private const int MissedNights = 7;

    /// <summary>Every 10 minutes: the days still open, and days an admin reopened, without closing any.</summary>
    public async Task RollupAsync(CancellationToken cancellationToken)
    {
        var today = ChinaTime.Today(clock);
        var firstOpen = LastClosable(today).AddDays(1);
        foreach (var day in market.ReopenedDays().Where(d => d < firstOpen))
        {
            await market.RebuildDayAsync(day, close: false, cancellationToken);
        }

        for (var day = firstOpen; day <= today; day = day.AddDays(1))
        {
            await market.RebuildDayAsync(day, close: false, cancellationToken);
        }
    }

    /// <summary>After midnight in Asia/Shanghai: close the days that have become old enough, and any due day still open.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        var through = LastClosable(ChinaTime.Today(clock));
        var days = Enumerable.Range(0, MissedNights).Select(i => through.AddDays(-i)).Union(market.UnclosedDays(through)).Order().ToList();
        var changed = 0;
        foreach (var day in days)
        {
            changed += await market.RebuildDayAsync(day, close: true, cancellationToken);
        }

        logger.LogInformation("Closed market days through {Through} ({Days} days looked at, {Changed} rows changed)", through, days.Count, changed);
    }

    /// <summary>Rebuilds every day of a range; the days old enough to close are closed (reopened ones again), the rest stay open.</summary>
    public async Task<int> RebuildAsync(string from, string to, CancellationToken cancellationToken)
    {
        var (first, last) = (DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture));
        var through = LastClosable(ChinaTime.Today(clock));
        var changed = 0;
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            changed += await market.RebuildDayAsync(day, close: day <= through, cancellationToken);
        }

        logger.LogInformation("Rebuilt market days {From} to {To} ({Changed} rows changed)", first, last, changed);
        return changed;
    }

    /// <summary>The newest day old enough to close.</summary>
    private DateOnly LastClosable(DateOnly today) => today.AddDays(-options.CurrentValue.CloseAfterDays);

    internal sealed class Registration : IRecurringJobRegistration
    {
        public void Register(IRecurringJobManager manager, JobsOptions options)
        {
            manager.AddOrUpdate<MarketJobs>(RollupId, job => job.RollupAsync(CancellationToken.None), options.ScheduleOf(RollupId, "*/10 * * * *"), JobsSetup.InChina);
            manager.AddOrUpdate<MarketJobs>(CloseId, job => job.CloseAsync(CancellationToken.None), options.ScheduleOf(CloseId, "15 0 * * *"), JobsSetup.InChina);
        }
    }
}
