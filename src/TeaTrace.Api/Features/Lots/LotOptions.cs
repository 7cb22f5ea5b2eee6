using System.ComponentModel.DataAnnotations;

namespace TeaTrace.Api.Features.Lots;

internal sealed class LotOptions
{
    public const string SectionName = "TeaTrace:Lots";

    /// <summary>
    /// Units lighter than this are refused unless the packer gives a reason: a 1 g tin is almost always a slip, while tea
    /// bags and sachets of 2–8 g are real products.
    /// </summary>
    [Range(1, 100000)]
    public int MinNetWeightG { get; set; } = 2;
}
