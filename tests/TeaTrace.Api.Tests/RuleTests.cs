using TeaTrace.Api.Features.Gardens;
using TeaTrace.Api.Features.Processing;

namespace TeaTrace.Api.Tests;

/// <summary>The pure rules, without a database or HTTP: GI eligibility, the pre-harvest interval, the yield band, the step order.</summary>
public sealed class RuleTests
{
    private static readonly GiOptions Yingde = new();

    [Theory]
    [InlineData(24.2321, 113.3017, "英红九号", 0)]            // Yinghong town, the GI cultivar
    [InlineData(24.2321, 113.3017, " 英红九号 ", 0)]           // spaces around a name do not make another cultivar
    [InlineData(24.2321, 113.3017, "金萱", 1)]                 // in the area, not a GI cultivar
    [InlineData(23.1291, 113.2644, "英红九号", 1)]            // Guangzhou: outside the area
    [InlineData(23.1291, 113.2644, "金萱", 2)]
    [InlineData(24.55, 113.9166, "英红一号", 0)]              // next to the area's corner, inside
    public void GiEligibility_AreaAndCultivar(double latitude, double longitude, string cultivar, int reasons)
    {
        var why = GiEligibility.Reasons(Yingde, latitude, longitude, cultivar);
        Assert.Equal(reasons, why.Count);
        Assert.Equal(reasons == 0, GiEligibility.InArea(Yingde, latitude, longitude) && GiEligibility.IsGiCultivar(Yingde, cultivar));
    }

    [Fact]
    public void GiEligibility_FollowsConfiguredCultivars()
    {
        var custom = new GiOptions { Cultivars = ["金萱"] };
        Assert.Empty(GiEligibility.Reasons(custom, 24.2, 113.3, "金萱"));
        Assert.Single(GiEligibility.Reasons(custom, 24.2, 113.3, "英红九号"));
    }

    [Theory]
    [InlineData("2026-03-17", 0)] // before the spraying
    [InlineData("2026-03-18", 1)] // the day of it
    [InlineData("2026-03-24", 1)] // the last day inside 7 days
    [InlineData("2026-03-25", 0)] // the first allowed day
    public void PreHarvestInterval_BlocksFromApplicationToTheFirstAllowedDay(string picked, int blocking)
    {
        var sprayed = new PesticideInForce("inp_1", "苦参碱", new DateOnly(2026, 3, 18), null, 7);
        Assert.Equal(blocking, PreHarvestInterval.Blocking([sprayed], DateOnly.Parse(picked, System.Globalization.CultureInfo.InvariantCulture)).Count);
        Assert.Equal(new DateOnly(2026, 3, 25), sprayed.FirstHarvestOn);
    }

    [Fact]
    public void PreHarvestInterval_CountsFromTheLastDayOfAPeriod_AndNamesTheLongestFirst()
    {
        var period = new PesticideInForce("inp_a", "A", new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 10), 5); // until the 15th
        var shortOne = new PesticideInForce("inp_b", "B", new DateOnly(2026, 3, 9), null, 3);                    // until the 12th
        var blocking = PreHarvestInterval.Blocking([shortOne, period], new DateOnly(2026, 3, 11));
        Assert.Equal(["inp_a", "inp_b"], blocking.Select(b => b.Id));
        Assert.Equal(new DateOnly(2026, 3, 15), blocking[0].FirstHarvestOn);
    }

    [Theory]
    [InlineData(100_000, 16_667, 26_315)] // 100 kg of leaf: 16.667 to 26.315 kg of tea by default
    [InlineData(86_400, 14_400, 22_736)]
    public void YieldBand_IsLeafDividedByTheConfiguredRatios_InWholeGrams(long leafG, long minG, long maxG)
    {
        var band = YieldBand.For(leafG, new ProcessingOptions());
        Assert.Equal(new YieldBand(minG, maxG), band);
        Assert.True(band.Contains(minG) && band.Contains(maxG));
        Assert.False(band.Contains(minG - 1) || band.Contains(maxG + 1));
    }

    [Fact]
    public void StepOrder_WitheringRollingFermentationDrying()
    {
        Assert.Equal(["withering", "rolling", "fermentation", "drying"], Enumerable.Range(0, 4).Select(StepOrder.Next));
        Assert.Null(StepOrder.Next(4));
        var started = new DateTimeOffset(2026, 4, 3, 15, 0, 0, TimeSpan.FromHours(8));
        Assert.Equal(started, StepOrder.NotBefore(started, null));
        Assert.Equal(started.AddHours(16), StepOrder.NotBefore(started, started.AddHours(16)));
    }
}
