using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace TeaTrace.Api.Features.Residues;

/// <summary>A maximum residue limit for tea: the pesticide in English and Chinese (and other names it goes by), in mg/kg.</summary>
internal sealed class ResidueLimit
{
    public string Pesticide { get; set; } = "";

    public string Zh { get; set; } = "";

    public decimal MgPerKg { get; set; }

    /// <summary>Other names a report or a farm input may use for it (the high-efficacy isomers, say).</summary>
    public List<string> Aliases { get; set; } = [];

    public IEnumerable<string> Names => [Pesticide, Zh, .. Aliases];
}

/// <summary>An active ingredient, in English and Chinese.</summary>
internal sealed class ActiveIngredient
{
    public string Pesticide { get; set; } = "";

    public string Zh { get; set; } = "";
}

/// <summary>What a rapid test (农残速测) answers for: a class of pesticides, and the active ingredients it detects.</summary>
internal sealed class RapidTestClass
{
    public string En { get; set; } = "";

    public string Zh { get; set; } = "";

    public List<ActiveIngredient> ActiveIngredients { get; set; } = [];
}

/// <summary>
/// Residue limits for tea and how tests are judged. The defaults are from published tables of earlier editions of
/// GB 2763 and must be checked against the current text (GB 2763-2026) before production use; lists and classes given
/// in configuration replace them.
/// </summary>
internal sealed class ResidueOptions
{
    public const string SectionName = "TeaTrace:Residues";

    public const string DefaultSource =
        "GB 2763-2021 (and its 2022 amendment) maximum residue limits for tea as published, plus flonicamid and fenpyroximate from "
        + "GB 2763-2026 (in force from 2026-03-01). Defaults to be checked against the text of GB 2763-2026 before production use.";

    public static readonly ResidueLimit[] DefaultLimits =
    [
        Limit("bifenthrin", "联苯菊酯", 5m),
        Limit("imidacloprid", "吡虫啉", 0.5m),
        Limit("acetamiprid", "啶虫脒", 10m),
        Limit("thiamethoxam", "噻虫嗪", 10m),
        Limit("lambda-cyhalothrin", "氯氟氰菊酯和高效氯氟氰菊酯", 15m, "氯氟氰菊酯", "高效氯氟氰菊酯", "cyhalothrin"),
        Limit("cypermethrin", "氯氰菊酯和高效氯氰菊酯", 20m, "氯氰菊酯", "高效氯氰菊酯", "beta-cypermethrin"),
        Limit("deltamethrin", "溴氰菊酯", 10m),
        Limit("fenpropathrin", "甲氰菊酯", 5m),
        Limit("flonicamid", "氟啶虫酰胺", 15m),
        Limit("chlorfenapyr", "虫螨腈", 20m),
        Limit("indoxacarb", "茚虫威", 5m),
        Limit("buprofezin", "噻嗪酮", 10m),
        Limit("pyridaben", "哒螨灵", 5m),
        Limit("pymetrozine", "吡蚜酮", 2m),
        Limit("glyphosate", "草甘膦", 1m),
        Limit("carbendazim", "多菌灵", 5m),
        Limit("difenoconazole", "苯醚甲环唑", 10m),
        Limit("fenpyroximate", "唑螨酯", 8m),
    ];

    // Banned on tea: any detection fails. The highly toxic list (MoA Announcement 199 and later) is the one farm inputs
    // are checked against, TeaTrace:Processing:BannedPesticides; these are added to it for residue tests.
    public static readonly string[] DefaultBanned = ["fenvalerate", "氰戊菊酯", "dicofol", "三氯杀螨醇"];

    // Enzyme-inhibition strips and cards (GB/T 5009.199) answer for organophosphates and carbamates only. Defaults to be
    // checked against the kit's instructions: a class covers only the active ingredients listed for it.
    public static readonly Dictionary<string, RapidTestClass> DefaultClasses = new(StringComparer.Ordinal)
    {
        ["organophosphate-carbamate"] = new()
        {
            En = "organophosphates and carbamates",
            Zh = "有机磷和氨基甲酸酯类",
            ActiveIngredients =
            [
                Ingredient("chlorpyrifos", "毒死蜱"), Ingredient("dimethoate", "乐果"), Ingredient("phoxim", "辛硫磷"),
                Ingredient("omethoate", "氧乐果"), Ingredient("methamidophos", "甲胺磷"), Ingredient("carbofuran", "克百威"),
                Ingredient("methomyl", "灭多威"), Ingredient("carbaryl", "甲萘威"), Ingredient("isoprocarb", "异丙威"),
                Ingredient("profenofos", "丙溴磷"), Ingredient("triazophos", "三唑磷"),
            ],
        },
    };

    /// <summary>Where the limits come from, shown with every verdict.</summary>
    [Required, StringLength(500, MinimumLength = 1)]
    public string Source { get; set; } = DefaultSource;

    public List<ResidueLimit> Limits { get; set; } = [];

    public List<string> Banned { get; set; } = [];

    public Dictionary<string, RapidTestClass> Classes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Pesticides applied this many days before picking must be covered by a test on a test basis.</summary>
    [Range(1, 730)]
    public int LookbackDays { get; set; } = 60;

    /// <summary>A rapid test inhibiting the enzyme by this much or more is positive: the class fails.</summary>
    [Range(1.0, 100.0)]
    public double PositiveInhibitionPct { get; set; } = 50.0;

    public IReadOnlyList<ResidueLimit> EffectiveLimits => Limits.Count > 0 ? Limits : DefaultLimits;

    public IReadOnlyList<string> EffectiveBanned => Banned.Count > 0 ? Banned : DefaultBanned;

    public IReadOnlyDictionary<string, RapidTestClass> EffectiveClasses => Classes.Count > 0 ? Classes : DefaultClasses;

    private static ResidueLimit Limit(string pesticide, string zh, decimal mgPerKg, params string[] aliases) =>
        new() { Pesticide = pesticide, Zh = zh, MgPerKg = mgPerKg, Aliases = [.. aliases] };

    private static ActiveIngredient Ingredient(string pesticide, string zh) => new() { Pesticide = pesticide, Zh = zh };
}

/// <summary>A configuration that could judge a test wrongly stops the start, saying what to fix.</summary>
internal sealed class ResidueOptionsCheck : IValidateOptions<ResidueOptions>
{
    public ValidateOptionsResult Validate(string? name, ResidueOptions options)
    {
        var problems = new List<string>();
        var owners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var limit in options.EffectiveLimits)
        {
            if (string.IsNullOrWhiteSpace(limit.Pesticide) || string.IsNullOrWhiteSpace(limit.Zh) || limit.MgPerKg <= 0)
            {
                problems.Add($"TeaTrace:Residues:Limits: every limit needs Pesticide, Zh and MgPerKg above 0 ('{limit.Pesticide}' has not).");
                continue;
            }

            foreach (var alias in limit.Names.Select(n => n.Trim()).Where(n => n.Length > 0))
            {
                if (owners.TryGetValue(alias, out var other) && other != limit.Pesticide)
                {
                    problems.Add($"TeaTrace:Residues:Limits: the name '{alias}' is given to both '{other}' and '{limit.Pesticide}'.");
                }

                owners[alias] = limit.Pesticide;
            }
        }

        foreach (var (code, rapid) in options.EffectiveClasses)
        {
            if (rapid.ActiveIngredients.Count == 0 || rapid.ActiveIngredients.Any(i => string.IsNullOrWhiteSpace(i.Pesticide) || string.IsNullOrWhiteSpace(i.Zh)))
            {
                problems.Add($"TeaTrace:Residues:Classes:{code}: a rapid-test class lists the active ingredients it detects, each with Pesticide and Zh.");
            }
        }

        if (options.EffectiveBanned.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add("TeaTrace:Residues:Banned: a banned pesticide's name cannot be empty.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
