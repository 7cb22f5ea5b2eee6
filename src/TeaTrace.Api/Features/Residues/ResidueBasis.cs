using TeaTrace.Api.Common;
using TeaTrace.Api.Features.Gardens;
using TeaTrace.Api.Ledger;

namespace TeaTrace.Api.Features.Residues;

/// <summary>
/// Whether a plot's leaf may leave the garden on a certificate with this basis (control, self-test, entrusted-test):
/// the check a leaf sale makes for each plot of its load, inside its own write.
/// </summary>
internal static class ResidueBasis
{
    private const string SelectLatest = """
        SELECT id, sampled_on, verdict FROM residue_tests WHERE plot_id = @PlotId
        ORDER BY sampled_on DESC, created_at DESC, id DESC LIMIT 1
        """;

    private const string SelectNamedTests = """
        SELECT id, kind, sampled_on, verdict FROM residue_tests
        WHERE plot_id = @PlotId AND id IN @Ids AND verdict = 'pass' AND sampled_on >= @From
        """;

    private const string SelectKnownIds = "SELECT id FROM residue_tests WHERE id IN @Ids";

    private const string SelectNamedResults = "SELECT test_id, pesticide, active_ingredient, class FROM residue_results WHERE test_id IN @Ids";

    private sealed class TestRow
    {
        public string Id { get; init; } = "";
        public string Kind { get; init; } = "";
        public DateOnly SampledOn { get; init; }
        public string Verdict { get; init; } = "";
    }

    private sealed class ResultRow
    {
        public string TestId { get; init; } = "";
        public string? Pesticide { get; init; }
        public string? ActiveIngredient { get; init; }
        public string? Class { get; init; }
    }

    /// <summary>The first of these test ids that names no residue test at all; null when every one does.</summary>
    public static string? FirstUnknown(LedgerTransaction tx, IReadOnlyList<string> residueTestIds)
    {
        if (residueTestIds.Count == 0)
        {
            return null;
        }

        var known = tx.Query<string>(SelectKnownIds, new { Ids = residueTestIds.Distinct().ToList() }).ToHashSet(StringComparer.Ordinal);
        return residueTestIds.FirstOrDefault(id => !known.Contains(id));
    }

    /// <summary>
    /// Null when the plot's leaf picked on <paramref name="pickedOn"/> may be sold on <paramref name="basis"/>, else the refusal.
    /// (a) Whatever the basis, a plot whose latest test failed is refused until a later test passes.
    /// (b) On self-test or entrusted-test, the passing tests of this plot among <paramref name="residueTestIds"/> (for
    /// entrusted-test only those recorded by a laboratory), sampled at most LookbackDays before picking, must together
    /// cover every pesticide applied to the plot in the LookbackDays before picking, each by a test sampled on or after
    /// its last use. Ids of other plots' tests are ignored here (a load may mix plots).
    /// (c) control needs no test.
    /// </summary>
    public static Refusal? Check(LedgerTransaction tx, ResidueOptions options, string plotId, DateOnly pickedOn, string basis, IReadOnlyList<string> residueTestIds)
    {
        if (basis is not ("control" or "self-test" or "entrusted-test"))
        {
            throw new ArgumentOutOfRangeException(nameof(basis), basis, "The basis is control, self-test or entrusted-test.");
        }

        var plot = PlotReads.Find(tx, plotId);
        if (plot is null)
        {
            return Refusal.NotFound(Noun.Plot, plotId);
        }

        if (tx.QuerySingleOrDefault<TestRow>(SelectLatest, new { PlotId = plotId }) is { Verdict: "fail" } latest)
        {
            return ResidueRefusals.LatestTestFailed(plot.Name, plot.Id, latest.Id, latest.SampledOn);
        }

        if (basis == "control")
        {
            return null;
        }

        var entrusted = basis == "entrusted-test";
        var from = pickedOn.AddDays(-options.LookbackDays);
        var tests = tx.Query<TestRow>(SelectNamedTests, new { PlotId = plotId, Ids = residueTestIds.Distinct().ToList(), From = Data.TypeHandlers.Format(from) })
            .Where(t => !entrusted || t.Kind == "entrusted-test")
            .ToList();
        if (tests.Count == 0)
        {
            return ResidueRefusals.NoPassingTest(plot.Name, plot.Id, entrusted, options.LookbackDays);
        }

        var results = tx.Query<ResultRow>(SelectNamedResults, new { Ids = tests.Select(t => t.Id).ToList() }).ToLookup(r => r.TestId);
        var coverage = tests.Select(t => new TestCoverage(t.Id, t.SampledOn,
            [.. results[t.Id].SelectMany(r => new[] { r.Pesticide, r.ActiveIngredient }).OfType<string>()],
            [.. results[t.Id].Select(r => r.Class).OfType<string>()])).ToList();
        var applied = PlotReads.PesticidesApplied(tx, plotId, from, pickedOn).Select(p => Applied(p, pickedOn));
        var uncovered = ResidueRules.Uncovered(options, applied, coverage);
        if (uncovered.Count == 0)
        {
            return null;
        }

        var names = uncovered.Select(u => u.Name).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return ResidueRefusals.PesticidesNotCovered(plot.Name, plot.Id, names,
            [.. names.Where(n => !ResidueRules.AnyClassCovers(options, n))], options.LookbackDays);
    }

    /// <summary>An input as coverage sees it: named by its active ingredient (its product if it has none), last used on the day it stopped, or the day of picking if later.</summary>
    internal static AppliedPesticide Applied(PesticideApplied input, DateOnly pickedOn)
    {
        var last = input.StoppedOn ?? input.AppliedOn;
        return new(input.InputId, input.ActiveIngredient ?? input.Product, last > pickedOn ? pickedOn : last);
    }
}
