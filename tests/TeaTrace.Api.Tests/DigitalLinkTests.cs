using System.Text.Json;
using TeaTrace.Api.Common;
using TeaTrace.Api.Features.Resolver;

namespace TeaTrace.Api.Tests;

/// <summary>
/// The Digital Link parsers against GS1's own parser test cases (vectors/digital-link-gs1-syntax-engine.json,
/// copied from /work/shared/vectors) and against TeaTrace's resolver rules in DOMAIN.md.
/// </summary>
public sealed class DigitalLinkTests
{
    private static readonly JsonElement Vectors = LoadVectors();

    // Cases run with options other than the engine's defaults are skipped: 11 permit zero-suppressed GTINs
    // in the path, 5 permit convenience alphas (/gtin/…), 2 permit unknown AIs. TeaTrace's general parser
    // implements the defaults only (ResolverPath accepts short GTINs on its own terms).
    private const int SkippedForOptions = 18;

    // Default-option cases where this parser knowingly disagrees with the engine, by source line, with the
    // reason. None so far: keep it that way, or say exactly why here.
    private static readonly Dictionary<int, string> KnownExceptions = [];

    private static JsonElement LoadVectors()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "vectors", "digital-link-gs1-syntax-engine.json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.Clone();
    }

    private static JsonElement[] ParseCases => [.. Vectors.GetProperty("parse").EnumerateArray()];

    private static bool UsesDefaultOptions(JsonElement testCase)
    {
        if (!testCase.TryGetProperty("options", out var options))
            return true;
        var defaults = Vectors.GetProperty("defaultOptions");
        return options.EnumerateObject().All(o => defaults.GetProperty(o.Name).GetBoolean() == o.Value.GetBoolean());
    }

    private static int SourceLine(JsonElement testCase) =>
        testCase.TryGetProperty("sourceLine", out var line) ? line.GetInt32() : testCase.GetProperty("sourceLines")[0].GetInt32();

    public static TheoryData<int, string> DefaultOptionParseCases()
    {
        var data = new TheoryData<int, string>();
        var cases = ParseCases;
        for (var i = 0; i < cases.Length; i++)
        {
            if (UsesDefaultOptions(cases[i]))
                data.Add(i, cases[i].GetProperty("uri").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DefaultOptionParseCases))]
    public void DigitalLinkUri_EngineParseCase_AcceptsOrRejectsAsTheEngine(int index, string uri)
    {
        var testCase = ParseCases[index];
        if (KnownExceptions.ContainsKey(SourceLine(testCase)))
            return;

        var accepted = DigitalLinkUri.TryParse(uri, out var parsed, out var error);

        if (testCase.GetProperty("valid").GetBoolean())
        {
            Assert.True(accepted, $"{uri} was rejected: {error}");
            Assert.Equal(testCase.GetProperty("elementString").GetString(), parsed!.ElementString);
        }
        else
        {
            Assert.False(accepted, $"{uri} was accepted as {parsed?.ElementString}");
            AssertOneSentence(error);
        }
    }

    [Fact]
    public void DigitalLinkUri_EngineParseCases_CountsAreExact()
    {
        var cases = ParseCases;
        var (accepted, rejected, skipped, exceptions) = (0, 0, 0, 0);
        foreach (var testCase in cases)
        {
            if (!UsesDefaultOptions(testCase))
            {
                skipped++;
                continue;
            }

            if (KnownExceptions.ContainsKey(SourceLine(testCase)))
            {
                exceptions++;
                continue;
            }

            var ok = DigitalLinkUri.TryParse(testCase.GetProperty("uri").GetString(), out var parsed, out _);
            Assert.Equal(testCase.GetProperty("valid").GetBoolean(), ok);
            if (ok)
            {
                Assert.Equal(testCase.GetProperty("elementString").GetString(), parsed!.ElementString);
                accepted++;
            }
            else
            {
                rejected++;
            }
        }

        Assert.Equal(121, cases.Length);
        Assert.Equal(59, accepted);
        Assert.Equal(44, rejected);
        Assert.Equal(SkippedForOptions, skipped);
        Assert.Equal(KnownExceptions.Count, exceptions);
        Assert.Empty(KnownExceptions);
    }

    [Fact]
    public void Gs1CheckDigits_EngineCases_AllFourteenAgree()
    {
        var cases = Vectors.GetProperty("checkDigit").EnumerateArray().ToList();
        Assert.Equal(14, cases.Count);
        Assert.Equal(5, cases.Count(c => c.GetProperty("valid").GetBoolean()));

        foreach (var testCase in cases)
        {
            var digits = testCase.GetProperty("digits").GetString()!;
            var valid = testCase.GetProperty("valid").GetBoolean();
            Assert.True(valid == Gs1CheckDigits.IsValid(digits), $"check digit of '{digits}' should be {(valid ? "valid" : "invalid")}");
            if (digits.Length == 14)
                Assert.Equal(valid, Gtin.IsValid(digits));
        }
    }

    [Fact]
    public void KeyQualifierSequences_EngineCases_AllThirtyNineAreValid()
    {
        var cases = Vectors.GetProperty("extras").GetProperty("pathKeyQualifierSequences").GetProperty("cases").EnumerateArray().ToList();
        Assert.Equal(39, cases.Count);
        foreach (var testCase in cases)
        {
            var ais = testCase.GetProperty("ais").EnumerateArray().Select(a => a.GetString()!).ToList();
            Assert.True(ApplicationIdentifiers.IsValidPathSequence(ais), string.Join(" ", ais));
        }
    }

    [Theory]
    [InlineData("10")] // a qualifier cannot stand alone
    [InlineData("01 10 22")] // out of order
    [InlineData("01 10 10")] // repeated
    [InlineData("01 22 235")] // alternatives mixed
    [InlineData("01 99")] // not a qualifier
    [InlineData("414 254 7040")]
    [InlineData("8004 21")]
    public void KeyQualifierSequences_OutOfOrderOrForeign_AreInvalid(string sequence) =>
        Assert.False(ApplicationIdentifiers.IsValidPathSequence(sequence.Split(' ')));

    [Fact]
    public void PercentDecode_EngineUnescapeCases_AllTwentyOneAgree()
    {
        var cases = Vectors.GetProperty("extras").GetProperty("uriUnescape").GetProperty("cases").EnumerateArray().ToList();
        Assert.Equal(21, cases.Count);
        foreach (var testCase in cases)
        {
            var input = testCase.GetProperty("input").GetString()!;
            foreach (var (inQuery, name) in new[] { (false, "pathComponent"), (true, "queryComponent") })
            {
                var decoded = DigitalLinkSyntax.PercentDecode(input, inQuery)!;
                if (testCase.TryGetProperty(name + "Hex", out var hex))
                    Assert.Equal(hex.GetString(), Convert.ToHexStringLower([.. decoded.Select(c => (byte)c)]));
                else
                    Assert.Equal(testCase.GetProperty(name).GetString(), decoded);
            }
        }
    }

    [Fact]
    public void Gtin_DomainExample_IsValid()
    {
        Assert.True(Gtin.IsValid("09506000134352"));
        Assert.True(Gs1CheckDigits.IsValid("09506000134352"));
        Assert.False(Gs1CheckDigits.IsValid("09506000134353"));
    }

    [Fact]
    public void DigitalLinkUri_DomainUnitLink_GivesGtinLotAndSerial()
    {
        Assert.True(DigitalLinkUri.TryParse("https://trace.yingde.example/01/09506000134352/10/YD2026A/21/X7K2P9Q4?17=271231", out var link, out var error), error);

        Assert.Equal("https://trace.yingde.example", link.Stem);
        Assert.Equal(new AiElement("01", "09506000134352"), link.PrimaryKey);
        Assert.Equal([new AiElement("10", "YD2026A"), new AiElement("21", "X7K2P9Q4")], link.KeyQualifiers);
        Assert.Equal([new AiElement("17", "271231")], link.Attributes);
        Assert.Equal("^010950600013435210YD2026A^21X7K2P9Q4^17271231", link.ElementString);
    }

    [Fact]
    public void DigitalLinkUri_CustomStem_IsKeptApartFromTheKey()
    {
        Assert.True(DigitalLinkUri.TryParse("https://example.com/more/stem/414/9520123456788/254/32a%2Fb#top", out var link, out var error), error);

        Assert.Equal("https://example.com/more/stem", link.Stem);
        Assert.Equal(new AiElement("414", "9520123456788"), link.PrimaryKey);
        Assert.Equal([new AiElement("254", "32a/b")], link.KeyQualifiers);
    }

    [Theory]
    [InlineData("https://a/8013/1987654Ad4X4bL5ttr2310c2K", true)] // GS1 General Specifications' GMN example
    [InlineData("https://a/8013/1987654Ad4X4bL5ttr2310cXK", false)]
    [InlineData("https://a/8013/1987654Ad4X4bL5ttr2310c2X", false)]
    [InlineData("https://a/01/09506000134352?7007=260230", false)] // no 30 February
    [InlineData("https://a/01/09506000134352?7007=240229", true)]
    [InlineData("https://a/01/09506000134352?17=261200", true)] // day 00: end of the month
    [InlineData("https://a/01/09506000134352?7007=261200", false)] // but not for a harvest date
    [InlineData("https://a/01/09506000134352?3106=000250", false)] // no such AI
    [InlineData("https://a/01/09506000134352?8200=https%3A%2F%2Fexample.com", false)] // not a data attribute
    [InlineData("https://a/01/09506000134352?linkType=gs1%3Apip&3103=000250", true)]
    [InlineData("https://a/01/09506000134352/10/A1/", false)]
    public void DigitalLinkUri_ContentChecks_FollowTheAiTable(string uri, bool valid)
    {
        var ok = DigitalLinkUri.TryParse(uri, out _, out var error);
        Assert.True(valid == ok, $"{uri}: {error}");
        if (!ok)
            AssertOneSentence(error);
    }

    private const string Gtin14 = "09506000134352";

    public static TheoryData<string, string?, string, string?, string?, string?> ValidResolverPaths => new()
    {
        { $"/01/{Gtin14}", null, Gtin14, null, null, null },
        { $"/01/{Gtin14}/10/YD2026A", null, Gtin14, "YD2026A", null, null },
        { $"/01/{Gtin14}/10/YD2026A/21/X7K2P9Q4", null, Gtin14, "YD2026A", "X7K2P9Q4", null },
        { $"/01/{Gtin14}/21/X7K2P9Q4", null, Gtin14, null, "X7K2P9Q4", null }, // GS1 allows leaving out the lot
        { "/01/9506000134352/10/YD2026A", null, Gtin14, "YD2026A", null, null }, // GTIN-13
        { "/01/416000336108", null, "00416000336108", null, null, null }, // GTIN-12
        { "/01/02345673", null, "00000002345673", null, null, null }, // GTIN-8
        { $"/01/{Gtin14}/10/YD-2026-0412/21/Ab%2F12%2B3", null, Gtin14, "YD-2026-0412", "Ab/12+3", null },
        { $"/01/{Gtin14}/10/A1/21/Ab+3", null, Gtin14, "A1", "Ab+3", null }, // '+' is a plus in a path
        { $"/01/{Gtin14}/10/%59%44%31/21/%25x", null, Gtin14, "YD1", "%x", null },
        { $"/01/{Gtin14}/10/ABCDEFGHIJ0123456789/21/abcdefghij0123456789", null, Gtin14, "ABCDEFGHIJ0123456789", "abcdefghij0123456789", null },
        { $"/01/{Gtin14}/10/YD2026A/21/X7", "?linkType=linkset", Gtin14, "YD2026A", "X7", "linkset" },
        { $"/01/{Gtin14}/10/YD2026A/21/X7", "linkType=gs1%3Apip&utm_source=label", Gtin14, "YD2026A", "X7", "gs1:pip" },
        { $"/01/{Gtin14}", "?linkType=", Gtin14, null, null, null },
        { $"/01/{Gtin14}", "", Gtin14, null, null, null },
    };

    [Theory]
    [MemberData(nameof(ValidResolverPaths))]
    public void ResolverPath_ValidLink_IsParsedAndNormalised(string path, string? query, string gtin, string? lot, string? serial, string? linkType)
    {
        Assert.True(ResolverPath.TryParse(path, query, out var parsed, out var error), error);

        Assert.Equal(gtin, parsed.Gtin);
        Assert.Equal(lot, parsed.Lot);
        Assert.Equal(serial, parsed.Serial);
        Assert.Equal(linkType, parsed.LinkType);
        Assert.Empty(parsed.Attributes);
        Assert.Equal("", error);
    }

    public static TheoryData<string, string?, string> InvalidResolverPaths => new()
    {
        // GTIN
        { "/01/06901234560013", null, "The GTIN check digit is wrong: 0690123456001 needs check digit 5." },
        { $"/01/09506000134353/10/A1", null, "The GTIN check digit is wrong: 0950600013435 needs check digit 2." },
        { "/01/9506000134353", null, "The GTIN check digit is wrong: 950600013435 needs check digit 2." },
        { "/01/09506000134", null, "8, 12, 13 or 14 digits, not 11" },
        { "/01/123456789", null, "8, 12, 13 or 14 digits, not 9" },
        { "/01/0950600013435X", null, "digits only" },
        { "/01/%2D9506000134352", null, "digits only" },
        // qualifier order and repetition
        { $"/01/{Gtin14}/21/S1/10/L1", null, "The lot (10) must come before the serial (21) in the link." },
        { $"/01/{Gtin14}/10/L1/10/L2", null, "AI 10 appears twice in the link." },
        { $"/01/{Gtin14}/10/L1/21/S1/21/S2", null, "AI 21 appears twice in the link." },
        { $"/01/{Gtin14}/01/{Gtin14}", null, "second GTIN" },
        // trailing slash, empty segments, missing values
        { $"/01/{Gtin14}/", null, "The link must not end with a slash." },
        { $"/01/{Gtin14}/10/L1/21/S1/", null, "The link must not end with a slash." },
        { $"/01//10/L1", null, "The link has an empty part between two slashes." },
        { $"/01/{Gtin14}/10//21/S1", null, "The link has an empty part between two slashes." },
        { $"/01/{Gtin14}/10", null, "ends with '10' and nothing after it" },
        // length
        { $"/01/{Gtin14}/10/ABCDEFGHIJ01234567890", null, "The lot (AI 10) is 21 characters long; it may have at most 20." },
        { $"/01/{Gtin14}/10/L1/21/ABCDEFGHIJ0123456789%2F", null, "The serial (AI 21) is 21 characters long; it may have at most 20." },
        // characters outside CSET 82 (raw or percent-encoded), and %00
        { $"/01/{Gtin14}/10/L1/21/S%201", null, "The serial (AI 21) contains a space, which GS1 does not allow there." },
        { $"/01/{Gtin14}/10/L%231", null, "The lot (AI 10) contains '#', which GS1 does not allow there." },
        { $"/01/{Gtin14}/10/%E8%8C%B6", null, "contains the character U+00E8" },
        { $"/01/{Gtin14}/10/茶", null, "The link's path contains the character U+8336, which is not allowed there." },
        { $"/01/{Gtin14}/10/L<1", null, "contains '<'" },
        { $"/01/{Gtin14}/10/L1/21/S%001", null, "encoded null character" },
        // unknown or foreign path AIs, and paths that are not /01/…
        { $"/01/{Gtin14}/99/X", null, "The link has '99' where only a lot (10) or a serial (21) may follow the GTIN." },
        { $"/01/{Gtin14}/lot/L1", null, "The link has 'lot' where only a lot (10) or a serial (21) may follow the GTIN." },
        { $"/01/{Gtin14}/22/V1/10/L1", null, "does not use consumer product variants (22)" },
        { $"/01/{Gtin14}/235/T1", null, "where only a lot (10) or a serial (21) may follow" },
        { "/00/006141411234567890", null, "The link must start with /01/ followed by the GTIN." },
        { "/gtin/09506000134352", null, "The link must start with /01/ followed by the GTIN." },
        { "/stem/01/09506000134352", null, "The link must start with /01/ followed by the GTIN." },
        { "", null, "The link must start with /01/ followed by the GTIN." },
        // the query string
        { $"/01/{Gtin14}", "10=L1", "The lot (10) belongs in the link's path, not in its query string." },
        { $"/01/{Gtin14}/10/L1", "?21=S1", "The serial (21) belongs in the link's path, not in its query string." },
        { $"/01/{Gtin14}", "01=09506000134352", "The GTIN (01) belongs in the link's path, not in its query string." },
        { $"/01/{Gtin14}", "22=V1", "The consumer product variant (22) belongs in the link's path, not in its query string." },
        { $"/01/{Gtin14}", "999=1", "The query string has 999, which is not a GS1 Application Identifier." },
        { $"/01/{Gtin14}", "17=261232", "The expiry date (AI 17) is not a valid YYMMDD date: 261232." },
        { $"/01/{Gtin14}", "3103=25", "The net weight in kg (AI 3103) must be exactly 6 digits long, not 2." },
        { $"/01/{Gtin14}", "99=a&99=b", "AI 99 appears more than once in the query string." },
        { $"/01/{Gtin14}", "99=", "has no value" },
        { $"/01/{Gtin14}", "98=A+B", "contains a space" },
        { $"/01/{Gtin14}", "235=T1", "cannot be a data attribute" },
        { $"/01/{Gtin14}", "linkType=pip&linkType=all", "The query string has linkType more than once." },
    };

    [Theory]
    [MemberData(nameof(InvalidResolverPaths))]
    public void ResolverPath_InvalidLink_IsRejectedWithOneSentence(string path, string? query, string expected)
    {
        Assert.False(ResolverPath.TryParse(path, query, out var parsed, out var error));

        Assert.Null(parsed);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        AssertOneSentence(error);
    }

    [Fact]
    public void ResolverPath_DataAttributes_AreDecodedAndKeptInOrder()
    {
        Assert.True(ResolverPath.TryParse($"/01/{Gtin14}/10/YD2026A", "?7007=260405&lang=zh&3103=000250&99=A%2FB", out var parsed, out var error), error);

        Assert.Equal([new AiElement("7007", "260405"), new AiElement("3103", "000250"), new AiElement("99", "A/B")], parsed.Attributes);
        Assert.Null(parsed.LinkType);
    }

    [Fact]
    public void ResolverPath_LinksTeaTraceIssues_ParseBackToTheirParts()
    {
        const string baseUrl = "https://trace.yingde.example";
        foreach (var serial in new[] { "X7K2P9Q4", "k7/Q+x%9", "a:b;c=d&e?f" })
        {
            var url = DigitalLinks.Unit(baseUrl, Gtin14, "YD-2026-0412", serial);

            Assert.True(ResolverPath.TryParse(url[baseUrl.Length..], null, out var parsed, out var error), error);
            Assert.Equal((Gtin14, "YD-2026-0412", serial), (parsed.Gtin, parsed.Lot, parsed.Serial));
            Assert.True(DigitalLinkUri.TryParse(url, out var link, out error), error);
            Assert.Equal(serial, link.KeyQualifiers[1].Value);
        }
    }

    private static void AssertOneSentence(string error)
    {
        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.True(char.IsUpper(error[0]), error);
        Assert.EndsWith(".", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }
}
