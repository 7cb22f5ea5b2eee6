using Dapper;
using Hangfire;
using TeaTrace.Api.Common;
using TeaTrace.Api.Jobs;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.LedgerApi;

/// <summary>Every minute (and once at start): sign a checkpoint if the ledger has grown. Safe to run twice.</summary>
internal sealed class CheckpointJob(CheckpointSigner signer)
{
    public const string Id = "ledger-checkpoint";

    public async Task RunAsync(CancellationToken cancellationToken) => await signer.SignIfGrownAsync(cancellationToken);

    internal sealed class Registration : IRecurringJobRegistration
    {
        public void Register(IRecurringJobManager manager, JobsOptions options) =>
            manager.AddOrUpdate<CheckpointJob>(Id, job => job.RunAsync(CancellationToken.None), options.ScheduleOf(Id, Cron.Minutely()), JobsSetup.InChina);
    }
}

/// <summary>Nightly: audit the whole ledger and record the result; a failed audit is logged as an error. Safe to run twice.</summary>
internal sealed class LedgerAuditJob(LedgerAuditor auditor, ILedgerWriter writer, TimeProvider clock, ILogger<LedgerAuditJob> logger)
{
    public const string Id = "ledger-audit";

    private const string InsertRun = """
        INSERT INTO audit_runs (started_at, finished_at, ok, entries, checkpoints, first_bad_index, detail, trigger, sealed_checked, erased)
        VALUES (@StartedAt, @FinishedAt, @Ok, @Entries, @Checkpoints, @FirstBadIndex, @Detail, @Trigger, @SealedChecked, @Erased)
        """;

    public async Task<AuditResult> RunAsync(string trigger, CancellationToken cancellationToken)
    {
        var startedAt = ChinaTime.Now(clock);
        var result = auditor.Audit(cancellationToken);
        var finishedAt = ChinaTime.Now(clock);
        await writer.WriteAsync<bool>(tx =>
        {
            tx.Execute(InsertRun, new
            {
                StartedAt = Data.TypeHandlers.Format(startedAt),
                FinishedAt = Data.TypeHandlers.Format(finishedAt),
                result.Ok,
                result.Entries,
                result.Checkpoints,
                result.FirstBadIndex,
                result.Detail,
                Trigger = trigger,
                result.SealedChecked,
                result.Erased,
            });
            return true;
        }, cancellationToken);

        if (result.Ok)
        {
            logger.LogInformation("Ledger audit passed: {Entries} entries, {Checkpoints} checkpoints", result.Entries, result.Checkpoints);
        }
        else
        {
            logger.LogError("LEDGER AUDIT FAILED at entry {Index}: {Detail}", result.FirstBadIndex, result.Detail);
        }

        return result;
    }

    internal sealed class Registration : IRecurringJobRegistration
    {
        public void Register(IRecurringJobManager manager, JobsOptions options) =>
            manager.AddOrUpdate<LedgerAuditJob>(Id, job => job.RunAsync("nightly", CancellationToken.None), options.ScheduleOf(Id, "30 3 * * *"), JobsSetup.InChina);
    }
}
