using TeaTrace.Api.Common;
using TeaTrace.Api.Features.Gardens;
using TeaTrace.Api.Features.Processing;
using TeaTrace.Api.Features.Resolver;

namespace TeaTrace.Api.Features.FrontDoor;

/// <summary>
/// Where a code from the box leads, asked of the features that own each kind: the resolver for tins and products,
/// Gardens for harvest tags, Processing for batch tags. Every destination is a path on this service, never another host.
/// </summary>
internal sealed class CodeDirectory(ProvenanceReader provenance, HarvestStore harvests, BatchStore batches)
{
    /// <summary>The path to send the person to, or null when no such thing is recorded.</summary>
    public string? Find(TypedCode code, bool english) => code.Kind switch
    {
        CodeKind.DigitalLink => Product(code, english),
        CodeKind.Bare => Unit(code, english) ?? Certificate(code.Value),
        CodeKind.Harvest => harvests.Find(code.Value) is { } harvest ? $"/h/{Uri.EscapeDataString(harvest.Code)}" : null,
        CodeKind.Batch => batches.Find(code.Value) is { } batch ? $"/b/{Uri.EscapeDataString(batch.Code)}" : null,
        CodeKind.Certificate => Certificate(code.Value),
        _ => null,
    };

    // The resolver answers any link under a GTIN this service packed, even a serial it never issued (which the
    // consumer page flags as a possible copy); only a GTIN it never packed is unknown here.
    private string? Product(TypedCode code, bool english)
    {
        if (provenance.Product(code.Value) is null)
        {
            return null;
        }

        var path = $"/01/{code.Value}";
        if (code.Lot is { } lot)
        {
            path += $"/10/{Uri.EscapeDataString(lot)}";
        }

        if (code.Serial is { } serial)
        {
            path += $"/21/{Uri.EscapeDataString(serial)}";
        }

        return WithLanguage(path, english);
    }

    private string? Unit(TypedCode code, bool english)
    {
        foreach (var serial in new[] { code.Value, code.Serial! }.Distinct(StringComparer.Ordinal))
        {
            if (provenance.FindUnit(serial) is { } unit)
            {
                return WithLanguage(DigitalLinks.Unit("", unit.Gtin, unit.LotCode, unit.Serial), english);
            }
        }

        return null;
    }

    /// <summary>
    /// Certificates of conformity (承诺达标合格证) will answer at /c/{number}: when they are recorded, look the number
    /// up here through the feature that issues them. Until then no certificate number is known.
    /// </summary>
    private static string? Certificate(string number) => null;

    private static string WithLanguage(string path, bool english) => english ? path + "?lang=en" : path;
}
