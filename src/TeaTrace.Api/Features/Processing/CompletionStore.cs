using Microsoft.Extensions.Options;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Idempotency;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Processing;

/// <summary>Completing a batch after drying: made tea within the yield band (or an override with its reason), dry enough.</summary>
internal sealed class CompletionStore(ILedgerWriter writer, IOptionsMonitor<ProcessingOptions> options)
{
    private const string CompleteBatch = """
        UPDATE batches SET status = 'completed', completed_at = @CompletedAt, made_tea_g = @MadeTeaG, style = @Style, grade = @Grade,
                           moisture_pct = @MoisturePct, override_reason = @OverrideReason
        WHERE id = @Id AND status = 'processing'
        """;

    public Task<WriteResult<BatchResponse>> CompleteAsync(Caller caller, string batchId, CompleteBatchRequest request, Reply<BatchResponse>? reply, CancellationToken cancellationToken) =>
        writer.WriteAsync(tx => Complete(tx, caller, batchId, request), reply, cancellationToken);

    private WriteResult<BatchResponse> Complete(LedgerTransaction tx, Caller caller, string batchId, CompleteBatchRequest request)
    {
        var rules = options.CurrentValue;
        if (!rules.EffectiveStyles.Any(s => s.Code == request.Style))
        {
            return ProcessingRefusals.UnknownStyle(rules.EffectiveStyles);
        }

        if (!rules.EffectiveGrades.Any(g => g.Code == request.Grade))
        {
            return ProcessingRefusals.UnknownGrade(rules.EffectiveGrades);
        }

        var completedAt = request.CompletedAt!.Value;
        if (completedAt > tx.Now + BatchLimits.ClockSkew)
        {
            return CommonRefusals.InTheFuture("completedAt");
        }

        var (batch, refusal) = BatchReads.Open(tx, caller, batchId, ProcessingRefusals.AlreadyCompleted);
        if (refusal is not null)
        {
            return refusal;
        }

        var steps = BatchReads.Steps(tx, batchId);
        if (StepOrder.Next(steps.Count) is { } next)
        {
            return ProcessingRefusals.NotYetDried(next);
        }

        var dried = steps[^1].EndedAt;
        if (completedAt < dried)
        {
            return ProcessingRefusals.CompletedBeforeDried(dried);
        }

        if (request.MoisturePct is { } moisture && moisture > rules.MaxMoisturePct)
        {
            return ProcessingRefusals.TooMoist(rules.MaxMoisturePct, moisture);
        }

        var madeG = Weight.ToGrams(request.MadeTeaKg!.Value);
        var band = YieldBand.For(batch.FreshLeafG, rules);
        var bandExtensions = new Dictionary<string, object?>
        {
            ["freshLeafKg"] = Weight.ToKg(batch.FreshLeafG),
            ["yieldRatio"] = Math.Round((double)madeG / batch.FreshLeafG, 4),
            ["minMadeTeaKg"] = Weight.ToKg(band.MinMadeG),
            ["maxMadeTeaKg"] = Weight.ToKg(band.MaxMadeG),
        };
        if (madeG > batch.FreshLeafG)
        {
            return ProcessingRefusals.MoreTeaThanLeaf(bandExtensions);
        }

        var overrideReason = string.IsNullOrWhiteSpace(request.OverrideReason) ? null : request.OverrideReason.Trim();
        var inBand = band.Contains(madeG);
        if (!inBand && overrideReason is null)
        {
            return ProcessingRefusals.OutsideYieldBand(Weight.ToKg(batch.FreshLeafG), Weight.ToKg(band.MinMadeG), Weight.ToKg(band.MaxMadeG), request.MadeTeaKg.Value, bandExtensions);
        }

        tx.Execute(CompleteBatch, new
        {
            Id = batchId,
            CompletedAt = completedAt,
            MadeTeaG = madeG,
            request.Style,
            request.Grade,
            request.MoisturePct,
            OverrideReason = inBand ? null : overrideReason,
        });
        var response = BatchReads.Load(tx.Connection, tx.Transaction, batchId)!;
        tx.Append(EntryTypes.BatchCompleted, batchId, caller, new
        {
            BatchId = batchId,
            response.Completion,
            response.FreshLeafKg,
        });
        return response;
    }
}
