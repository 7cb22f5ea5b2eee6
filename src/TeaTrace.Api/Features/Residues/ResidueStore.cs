using System.Data;
using Dapper;
using Microsoft.Extensions.Options;
using TeaTrace.Api.Auth;
using TeaTrace.Api.Common;
using TeaTrace.Api.Data;
using TeaTrace.Api.Features.Gardens;
using TeaTrace.Api.Features.Lots;
using TeaTrace.Api.Features.Orgs;
using TeaTrace.Api.Features.Processing;
using TeaTrace.Api.Idempotency;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Residues;

/// <summary>
/// Pesticide residue tests of a plot's leaf, judged by the server against the configured limits when recorded: a
/// farmer's self-test (rapid strips or a laboratory) or a laboratory's entrusted test. Never edited.
/// </summary>
internal sealed class ResidueStore(SqliteConnectionFactory connections, ILedgerWriter writer, TimeProvider clock,
    IOptionsMonitor<ResidueOptions> residues, IOptionsMonitor<ProcessingOptions> processing)
{
    private const string InsertTest = """
        INSERT INTO residue_tests (id, plot_id, harvest_id, sampled_on, method, kind, report_no, verdict, recorder_org_id, lot_id, plan_line_id, limits_source, created_at)
        VALUES (@Id, @PlotId, @HarvestId, @SampledOn, @Method, @Kind, @ReportNo, @Verdict, @RecordedByOrgId, @LotId, @PlanLineId, @LimitsSource, @CreatedAt)
        """;

    private const string InsertResult = """
        INSERT INTO residue_results (test_id, seq, pesticide, active_ingredient, mg_per_kg, not_detected, limit_mg_per_kg, banned, class, inhibition_pct, pass)
        VALUES (@TestId, @Seq, @Pesticide, @ActiveIngredient, @MgPerKg, @NotDetected, @LimitMgPerKg, @Banned, @Class, @InhibitionPct, @Pass)
        """;

    private const string TestColumns = "id, plot_id, harvest_id, sampled_on, method, kind, report_no, verdict, recorder_org_id, lot_id, plan_line_id, limits_source, created_at";

    private const string SelectTest = $"SELECT {TestColumns} FROM residue_tests WHERE id = @Id";

    private const string SelectTestsOfPlot = $"SELECT {TestColumns} FROM residue_tests WHERE plot_id = @PlotId ORDER BY sampled_on DESC, created_at DESC, id DESC";

    private const string SelectResults = """
        SELECT test_id, pesticide, active_ingredient, mg_per_kg, not_detected, limit_mg_per_kg, banned, class, inhibition_pct, pass
        FROM residue_results WHERE test_id IN @Ids ORDER BY test_id, seq
        """;

    internal sealed class TestRow
    {
        public string Id { get; init; } = "";
        public string PlotId { get; init; } = "";
        public string? HarvestId { get; init; }
        public DateOnly SampledOn { get; init; }
        public string Method { get; init; } = "";
        public string Kind { get; init; } = "";
        public string? ReportNo { get; init; }
        public string Verdict { get; init; } = "";
        public string RecorderOrgId { get; init; } = "";
        public string? LotId { get; init; }
        public string? PlanLineId { get; init; }
        public string LimitsSource { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
    }

    private sealed class ResultRow
    {
        public string TestId { get; init; } = "";
        public string? Pesticide { get; init; }
        public string? ActiveIngredient { get; init; }
        public double? MgPerKg { get; init; }
        public bool NotDetected { get; init; }
        public double? LimitMgPerKg { get; init; }
        public bool Banned { get; init; }
        public string? Class { get; init; }
        public double? InhibitionPct { get; init; }
        public bool Pass { get; init; }

        public ResidueResultResponse ToResponse() => Class is null
            ? new(Pesticide, ActiveIngredient, (decimal?)MgPerKg, NotDetected, (decimal?)LimitMgPerKg, Banned, null, null, Pass)
            : new(null, null, null, null, null, null, Class, InhibitionPct, Pass);
    }

    public Task<WriteResult<ResidueTestResponse>> CreateAsync(Caller caller, CreateResidueTestRequest request, Reply<ResidueTestResponse>? reply, CancellationToken cancellationToken) =>
        writer.WriteAsync(tx => Create(tx, caller, request), reply, cancellationToken);

    private WriteResult<ResidueTestResponse> Create(LedgerTransaction tx, Caller caller, CreateResidueTestRequest request)
    {
        var options = residues.CurrentValue;
        var lab = request.Method == "lab";
        var sampledOn = request.SampledOn!.Value;
        if (sampledOn > ChinaTime.Today(clock).AddDays(1))
        {
            return CommonRefusals.InTheFuture("sampledOn");
        }

        if (Shape(request) is { } malformed)
        {
            return malformed;
        }

        var plot = PlotReads.Find(tx, request.PlotId);
        if (plot is null)
        {
            return Refusal.NotFound(Noun.Plot, request.PlotId);
        }

        // A laboratory is entrusted by whoever sends the sample, so it may test any plot; a farmer tests its own.
        var byLab = caller.Role == Roles.Lab || (caller.IsAdmin && OrgReads.Find(tx, caller.OrgId)?.Kind == "lab");
        if (caller.Role == Roles.Farmer && !caller.ActsFor(plot.OrgId))
        {
            return ResidueRefusals.TestsOfOwnPlots();
        }

        if (byLab && !lab)
        {
            return ResidueRefusals.LabRecordsLabTests();
        }

        var reportNo = Blank(request.ReportNo);
        if (byLab && reportNo is null)
        {
            return ResidueRefusals.LabNeedsReportNumber();
        }

        if (Blank(request.HarvestId) is { } harvestId)
        {
            var harvest = HarvestReads.ForBatch(tx, harvestId);
            if (harvest is null)
            {
                return Refusal.NotFound(Noun.Harvest, harvestId);
            }

            if (harvest.PlotId != plot.Id)
            {
                return ResidueRefusals.HarvestOfAnotherPlot(harvestId, plot.Id);
            }
        }

        var lotId = Blank(request.LotId);
        if (lotId is not null && !LotReads.Exists(tx, lotId))
        {
            return Refusal.NotFound(Noun.Lot, lotId);
        }

        var judged = lab ? JudgeLab(options, request.Results) : JudgeRapid(options, request.Results);
        if (judged.Refusal is { } refusal)
        {
            return refusal;
        }

        var results = judged.Value!;
        var test = new ResidueTestResponse(Ids.New("rt"), plot.Id, Blank(request.HarvestId), sampledOn, request.Method,
            byLab ? "entrusted-test" : "self-test", reportNo, results.All(r => r.Pass) ? "pass" : "fail", Exceedances(results), results,
            caller.OrgId, lotId, Blank(request.PlanLineId), options.Source, tx.Now);
        tx.Execute(InsertTest, test);
        for (var i = 0; i < results.Count; i++)
        {
            var r = results[i];
            tx.Execute(InsertResult, new
            {
                TestId = test.Id,
                Seq = i + 1,
                r.Pesticide,
                r.ActiveIngredient,
                r.MgPerKg,
                NotDetected = r.NotDetected ?? false,
                r.LimitMgPerKg,
                Banned = r.Banned ?? false,
                r.Class,
                r.InhibitionPct,
                r.Pass,
            });
        }

        tx.Append(EntryTypes.ResidueTestRecorded, test.Id, caller, test);
        return test;
    }

    // The lines must be of the method's kind: pesticides with a value for a laboratory, classes with an inhibition for a rapid test.
    private static Refusal? Shape(CreateResidueTestRequest request)
    {
        for (var i = 0; i < request.Results.Count; i++)
        {
            var line = request.Results[i];
            if (request.Method == "lab")
            {
                if (line.Class is not null || line.InhibitionPct is not null)
                {
                    return ResidueRefusals.LabLineHasClass(i);
                }

                if (string.IsNullOrWhiteSpace(line.Pesticide))
                {
                    return ResidueRefusals.LabLineNeedsPesticide(i);
                }

                if ((line.MgPerKg is null) == (line.NotDetected is not true))
                {
                    return ResidueRefusals.LabLineNeedsOneValue(i);
                }
            }
            else
            {
                if (line.Pesticide is not null || line.ActiveIngredient is not null || line.MgPerKg is not null || line.NotDetected is not null)
                {
                    return ResidueRefusals.RapidLineHasPesticide(i);
                }

                if (string.IsNullOrWhiteSpace(line.Class) || line.InhibitionPct is null)
                {
                    return ResidueRefusals.RapidLineNeedsClass(i);
                }
            }
        }

        return null;
    }

    private WriteResult<IReadOnlyList<ResidueResultResponse>> JudgeLab(ResidueOptions options, IReadOnlyList<ResidueResultRequest> lines)
    {
        var banned = processing.CurrentValue.EffectiveBannedPesticides.Concat(options.EffectiveBanned).Distinct(StringComparer.OrdinalIgnoreCase);
        var (judged, unconfigured) = ResidueRules.JudgeLab(options, banned,
            [.. lines.Select(l => new LabLine(l.Pesticide!.Trim(), Blank(l.ActiveIngredient), l.MgPerKg, l.NotDetected is true))]);
        if (unconfigured is not null)
        {
            return ResidueRefusals.NoLimitConfigured(unconfigured);
        }

        return judged.Select(j => new ResidueResultResponse(j.Pesticide, j.ActiveIngredient, j.MgPerKg, j.NotDetected, j.LimitMgPerKg, j.Banned, null, null, j.Pass)).ToList();
    }

    // The server judges each class against the configured threshold; a pass sent with the line must agree with it.
    private static WriteResult<IReadOnlyList<ResidueResultResponse>> JudgeRapid(ResidueOptions options, IReadOnlyList<ResidueResultRequest> lines)
    {
        var judged = new List<ResidueResultResponse>();
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var code = line.Class!.Trim();
            if (ResidueRules.ClassFor(options, code) is null)
            {
                return ResidueRefusals.UnknownRapidClass(code, string.Join(", ", options.EffectiveClasses.Keys));
            }

            var inhibition = line.InhibitionPct!.Value;
            var pass = ResidueRules.RapidPasses(options, inhibition);
            if (line.Pass is { } sent && sent != pass)
            {
                return ResidueRefusals.RapidPassDisagrees(i, inhibition, options.PositiveInhibitionPct);
            }

            judged.Add(new(null, null, null, null, null, null, code, inhibition, pass));
        }

        return judged;
    }

    public ResidueTestResponse? Find(string id)
    {
        using var connection = connections.Open();
        var row = connection.QuerySingleOrDefault<TestRow>(SelectTest, new { Id = id });
        return row is null ? null : ToResponses(connection, [row])[0];
    }

    /// <summary>A plot's tests, newest sample first, failed ones included.</summary>
    public IReadOnlyList<ResidueTestResponse> ListForPlot(string plotId)
    {
        using var connection = connections.Open();
        return ToResponses(connection, connection.Query<TestRow>(SelectTestsOfPlot, new { PlotId = plotId }).ToList());
    }

    public PlotRef? FindPlot(string plotId)
    {
        using var connection = connections.Open();
        return PlotReads.Find(connection, null, plotId);
    }

    private static List<ResidueTestResponse> ToResponses(IDbConnection connection, List<TestRow> rows)
    {
        var results = connection.Query<ResultRow>(SelectResults, new { Ids = rows.Select(r => r.Id).ToList() }).ToLookup(r => r.TestId);
        return rows.Select(row =>
        {
            var lines = results[row.Id].Select(r => r.ToResponse()).ToList();
            return new ResidueTestResponse(row.Id, row.PlotId, row.HarvestId, row.SampledOn, row.Method, row.Kind, row.ReportNo, row.Verdict,
                Exceedances(lines), lines, row.RecorderOrgId, row.LotId, row.PlanLineId, row.LimitsSource, row.CreatedAt);
        }).ToList();
    }

    // Measured amounts that failed: above the limit, or any amount of a banned pesticide (limit 0). Failed rapid classes are not amounts.
    private static List<ExceedanceResponse> Exceedances(IEnumerable<ResidueResultResponse> results) =>
        results.Where(r => !r.Pass && r.MgPerKg is not null).Select(r => new ExceedanceResponse(r.Pesticide!, r.MgPerKg!.Value, r.LimitMgPerKg ?? 0m)).ToList();

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
