using System.Reflection;
using System.Text.RegularExpressions;
using TeaTrace.Api.Common;

namespace TeaTrace.Api.Tests;

/// <summary>
/// Every refusal the service can make comes from a feature's *Refusals catalog, and every one has a Chinese text a
/// farmer can read. The catalogs are walked by reflection; the source is checked for refusals made anywhere else.
/// </summary>
public sealed partial class RefusalCatalogTests
{
    private static readonly Assembly Service = typeof(Refusal).Assembly;

    private static IEnumerable<Type> Catalogs() =>
        Service.GetTypes().Where(t => t.IsAbstract && t.IsSealed && t.Name.EndsWith("Refusals", StringComparison.Ordinal));

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();

    [Fact]
    public void EveryRefusalInEveryCatalog_HasAChineseTextForItsTitleDetailAndErrors()
    {
        var walked = 0;
        foreach (var catalog in Catalogs())
        {
            foreach (var method in catalog.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(m => (m.ReturnType == typeof(Refusal) || m.ReturnType == typeof(Text)) && !m.IsSpecialName && !m.Name.StartsWith('<')))
            {
                var result = method.Invoke(null, [.. method.GetParameters().Select(p => Sample(p.ParameterType))]);
                var texts = result switch
                {
                    Refusal refusal => [refusal.Title, refusal.Detail, .. refusal.Errors?.Values.SelectMany(e => e) ?? []],
                    Text text => new[] { text },
                    _ => throw new InvalidOperationException($"{catalog.Name}.{method.Name} returned {result}"),
                };
                foreach (var text in texts)
                {
                    Assert.True(Chinese().IsMatch(text.Zh), $"{catalog.Name}.{method.Name}: no Chinese in \"{text.Zh}\"");
                    Assert.False(string.IsNullOrWhiteSpace(text.En), $"{catalog.Name}.{method.Name}: no English");
                    Assert.NotEqual(text.En, text.Zh);
                }

                walked++;
            }
        }

        Assert.True(walked >= 80, $"only {walked} refusals walked");
    }

    [Fact]
    public void NotFound_NamesEveryKindOfRecordInBothLanguages()
    {
        foreach (var noun in typeof(Noun).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (Noun)f.GetValue(null)!))
        {
            var refusal = Refusal.NotFound(noun, "x1");
            Assert.Matches(Chinese(), refusal.Detail.Zh);
            Assert.Contains(noun.Zh, refusal.Detail.Zh, StringComparison.Ordinal);
            Assert.Contains(noun.En, refusal.Detail.En, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Refusals_AreMadeOnlyInTheCatalogs()
    {
        var source = Path.Combine(Repository.Root, "src", "TeaTrace.Api");
        var made = new Regex(@"\bRefusal\.(Rule|Invalid|Forbidden|Conflict)\(|new Refusal\(", RegexOptions.CultureInvariant);
        var offenders = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => !Path.GetFileName(f).EndsWith("Refusals.cs", StringComparison.Ordinal) && Path.GetFileName(f) != "WriteResult.cs")
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .Where(l => made.IsMatch(l.Text))
            .Select(l => $"{Path.GetRelativePath(source, l.File)}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        Assert.True(offenders.Count == 0, "Refusals made outside a *Refusals catalog:\n" + string.Join('\n', offenders));
    }

    private static object? Sample(Type type) => type switch
    {
        _ when type == typeof(string) => "x1",
        _ when type == typeof(int) => 3,
        _ when type == typeof(long) => 3L,
        _ when type == typeof(decimal) => 1.5m,
        _ when type == typeof(double) => 1.5,
        _ when type == typeof(bool) => true,
        _ when type == typeof(DateOnly) => new DateOnly(2026, 4, 3),
        _ when type == typeof(DateTimeOffset) => new DateTimeOffset(2026, 4, 3, 10, 0, 0, TimeSpan.FromHours(8)),
        _ when type == typeof(Text) || type == typeof(Text?) => new Text("sample", "样例"),
        _ when type == typeof(Noun) => Noun.Plot,
        _ when type == typeof(Func<Refusal>) => (Func<Refusal>)(() => Refusal.NotFound(Noun.Plot, "x")),
        _ when type == typeof(IEnumerable<NamedCode>) => new[] { new NamedCode("strip", "红条茶", "Strip") },
        _ when type == typeof(IReadOnlyDictionary<string, object?>) => new Dictionary<string, object?>(),
        _ when type == typeof(IReadOnlyList<long>) => new List<long> { 7, 9 },
        _ when type == typeof(IReadOnlyList<string>) => new List<string> { "联苯菊酯", "bifenthrin" },
        _ when type.Name == "PesticideInForce" => Activator.CreateInstance(type, "inp_1", "苦参碱", new DateOnly(2026, 3, 18), null, 7),
        _ when type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) && type.GetGenericArguments()[0].Name == "PesticideInForce" =>
            Activator.CreateInstance(typeof(List<>).MakeGenericType(type.GetGenericArguments()[0])),
        _ when type.Name == "PriceBand" => Activator.CreateInstance(type, "strip", "special", 800m, 266.67m, 2400m, 3.0, 12, new DateOnly(2026, 1, 3), new DateOnly(2026, 4, 3)),
        _ => throw new InvalidOperationException($"No sample for {type}: add one here."),
    };
}

/// <summary>Where the repository is, for tests that read its source or its tools.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "TeaTrace.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("TeaTrace.sln not found above the test folder.");
    }
}
