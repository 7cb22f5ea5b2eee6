namespace TeaTrace.Api.Features.Residues;

/// <summary>A line of a laboratory report as sent: a pesticide found at mgPerKg, or not detected.</summary>
internal sealed record LabLine(string Pesticide, string? ActiveIngredient, decimal? MgPerKg, bool NotDetected);

/// <summary>A line of a laboratory report as judged against the configured limits.</summary>
internal sealed record JudgedLabLine(string Pesticide, string? ActiveIngredient, decimal? MgPerKg, bool NotDetected, decimal? LimitMgPerKg, bool Banned, bool Pass);

/// <summary>A rapid test's answer for one class: the enzyme inhibition and the pass the strip or reader gave, if sent.</summary>
internal sealed record RapidLine(string Class, double InhibitionPct, bool? Pass);

/// <summary>A pesticide farm input as coverage sees it: its name (active ingredient, or product) and its last day of use.</summary>
internal sealed record AppliedPesticide(string InputId, string Name, DateOnly LastAppliedOn);

/// <summary>A passing test as coverage sees it: when it was sampled, the names its lab lines give, the classes its rapid lines answer for.</summary>
internal sealed record TestCoverage(string TestId, DateOnly SampledOn, IReadOnlyList<string> LabNames, IReadOnlyList<string> RapidClasses);

/// <summary>
/// The pure rules of residue tests: what a name means, whether a result passes, and what a test covers. Names match
/// case-insensitively and whole (乐果 is not 氧乐果): a name is the pesticide it names in the limits table or in a
/// rapid-test class (English, Chinese or an alias), or else itself.
/// </summary>
internal static class ResidueRules
{
    /// <summary>One spelling per pesticide: the limits table's or class's English name, else the name itself, lower-cased.</summary>
    public static string Canonical(ResidueOptions options, string name)
    {
        var trimmed = name.Trim();
        foreach (var limit in options.EffectiveLimits)
        {
            if (limit.Names.Any(n => Same(n, trimmed)))
            {
                return limit.Pesticide.Trim().ToLowerInvariant();
            }
        }

        foreach (var ingredient in options.EffectiveClasses.Values.SelectMany(c => c.ActiveIngredients))
        {
            if (Same(ingredient.Pesticide, trimmed) || Same(ingredient.Zh, trimmed))
            {
                return ingredient.Pesticide.Trim().ToLowerInvariant();
            }
        }

        return trimmed.ToLowerInvariant();
    }

    public static ResidueLimit? LimitFor(ResidueOptions options, string name) =>
        options.EffectiveLimits.FirstOrDefault(l => l.Names.Any(n => Same(n, name)));

    /// <summary>Banned names are matched as farm inputs match them: a name containing a banned one is banned (氧乐果 contains 乐果; both are).</summary>
    public static string? BannedName(IEnumerable<string> banned, LabLine line) =>
        banned.FirstOrDefault(b => b.Trim().Length > 0 && new[] { line.Pesticide, line.ActiveIngredient ?? "" }.Any(n => n.Contains(b.Trim(), StringComparison.OrdinalIgnoreCase)));

    /// <summary>
    /// Judges a laboratory report: a banned pesticide fails on any detection; another fails above its limit (at the
    /// limit passes). Returns the name of the first pesticide with no configured limit instead, for a 422: never a silent pass.
    /// </summary>
    public static (IReadOnlyList<JudgedLabLine> Lines, string? Unconfigured) JudgeLab(ResidueOptions options, IEnumerable<string> banned, IReadOnlyList<LabLine> lines)
    {
        var judged = new List<JudgedLabLine>();
        var bannedNames = banned.ToList();
        foreach (var line in lines)
        {
            if (BannedName(bannedNames, line) is not null)
            {
                var found = !line.NotDetected && line.MgPerKg > 0;
                judged.Add(new(line.Pesticide, line.ActiveIngredient, line.MgPerKg, line.NotDetected, 0m, true, !found));
                continue;
            }

            var limit = LimitFor(options, line.Pesticide) ?? (line.ActiveIngredient is { } ai ? LimitFor(options, ai) : null);
            if (limit is null)
            {
                return ([], line.Pesticide);
            }

            var pass = line.NotDetected || line.MgPerKg <= limit.MgPerKg;
            judged.Add(new(line.Pesticide, line.ActiveIngredient, line.MgPerKg, line.NotDetected, limit.MgPerKg, false, pass));
        }

        return (judged, null);
    }

    /// <summary>A class passes when its inhibition is below the positive threshold.</summary>
    public static bool RapidPasses(ResidueOptions options, double inhibitionPct) => inhibitionPct < options.PositiveInhibitionPct;

    public static RapidTestClass? ClassFor(ResidueOptions options, string code) =>
        options.EffectiveClasses.FirstOrDefault(c => Same(c.Key, code)).Value;

    /// <summary>
    /// The applied pesticides no passing test covers. A test covers an input only when sampled on or after its last
    /// use; a lab line covers it when its pesticide or active ingredient names the input's; a rapid class only the
    /// active ingredients configured for that class.
    /// </summary>
    public static IReadOnlyList<AppliedPesticide> Uncovered(ResidueOptions options, IEnumerable<AppliedPesticide> applied, IReadOnlyList<TestCoverage> passing) =>
        applied.Where(input => !passing.Any(test => test.SampledOn >= input.LastAppliedOn && Covers(options, test, input.Name))).ToList();

    public static bool Covers(ResidueOptions options, TestCoverage test, string name)
    {
        var wanted = Canonical(options, name);
        return test.LabNames.Any(n => Canonical(options, n) == wanted)
            || test.RapidClasses.Any(c => ClassCovers(options, c, wanted));
    }

    /// <summary>Whether some rapid-test class detects this pesticide at all; when none does, only a laboratory can test for it.</summary>
    public static bool AnyClassCovers(ResidueOptions options, string name)
    {
        var wanted = Canonical(options, name);
        return options.EffectiveClasses.Keys.Any(c => ClassCovers(options, c, wanted));
    }

    private static bool ClassCovers(ResidueOptions options, string code, string canonical) =>
        ClassFor(options, code) is { } rapid && rapid.ActiveIngredients.Any(i => Canonical(options, i.Pesticide) == canonical);

    private static bool Same(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
}
