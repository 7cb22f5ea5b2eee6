using System.Reflection;
using System.Text.RegularExpressions;

namespace TeaTrace.Api.Tests;

/// <summary>The boundaries the code keeps: a pure ledger core, a verifier that does not trust the server, features that do not reach into each other.</summary>
public sealed class ArchitectureTests
{
    [Fact]
    public void LedgerLibrary_ReferencesNoWebStorageOrDomainCode()
    {
        var references = typeof(TeaTrace.Ledger.Rfc9162).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        var foreign = references.Where(name => !(name.StartsWith("System", StringComparison.Ordinal) || name is "netstandard" or "mscorlib" or "BouncyCastle.Cryptography")).ToList();
        Assert.True(foreign.Count == 0, "TeaTrace.Ledger references " + string.Join(", ", foreign));
    }

    [Fact]
    public void Verifier_UsesOnlyTheLedgerLibraryAndHttp_NeverTheServer()
    {
        var references = typeof(TeaTrace.Verify.VerifyCommand).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.Contains("TeaTrace.Ledger", references);
        Assert.DoesNotContain(references, name => name.StartsWith("TeaTrace.Api", StringComparison.Ordinal) || name.StartsWith("Microsoft.Data.Sqlite", StringComparison.Ordinal)
            || name.StartsWith("Dapper", StringComparison.Ordinal) || name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void Features_DoNotReachIntoEachOthersStores()
    {
        var features = Path.Combine(Repository.Root, "src", "TeaTrace.Api", "Features");
        var declared = new Regex(@"\b(?:class|record)\s+(\w+(?:Store|Reader))\b", RegexOptions.CultureInvariant);
        var owners = Directory.EnumerateDirectories(features)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.cs").SelectMany(f => declared.Matches(File.ReadAllText(f)).Select(m => (Store: m.Groups[1].Value, Feature: Path.GetFileName(folder)))))
            .ToDictionary(x => x.Store, x => x.Feature);
        Assert.Contains("HarvestStore", owners.Keys);

        // Another feature's store may be injected and its public reads called; its SQL, rows and static helpers are its own.
        var reach = new Regex(@"\b(" + string.Join('|', owners.Keys) + @")\.([A-Z]\w*)", RegexOptions.CultureInvariant);
        var offences = Directory.EnumerateDirectories(features)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.cs").SelectMany(file => File.ReadLines(file).Select((line, i) => (Folder: Path.GetFileName(folder), File: file, Line: i + 1, Text: line))))
            .SelectMany(l => reach.Matches(l.Text).Where(m => owners[m.Groups[1].Value] != l.Folder).Select(m => $"{Path.GetFileName(l.File)}:{l.Line} uses {m.Value}"))
            .ToList();
        Assert.True(offences.Count == 0, "Features reaching into another feature's store:\n" + string.Join('\n', offences));
    }

    [Fact]
    public void LedgerEntryTypes_AreWrittenOnlyThroughTheRegistry()
    {
        var source = Path.Combine(Repository.Root, "src", "TeaTrace.Api");
        var literal = new Regex(@"\.Append\(""", RegexOptions.CultureInvariant);
        var offences = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Where(l => literal.IsMatch(l) && l.Contains("tx.", StringComparison.Ordinal)).Select(l => $"{Path.GetFileName(f)}: {l.Trim()}"))
            .ToList();
        Assert.True(offences.Count == 0, string.Join('\n', offences));
        var registry = typeof(TeaTrace.Api.Ledger.EntryTypes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.Equal(registry.Order(StringComparer.Ordinal), TeaTrace.Api.Ledger.EntryTypes.All.Order(StringComparer.Ordinal));
    }
}
