using TeaTrace.Api.Features.FrontDoor;

namespace TeaTrace.Api.Tests;

/// <summary>What the front door's code box makes of a text, before anything is looked up.</summary>
public sealed class CodeBoxTests
{
    [Theory]
    [InlineData("", "Empty", "")]
    [InlineData("   ", "Empty", "")]
    [InlineData("H-7KQ3M9TX", "Harvest", "H-7KQ3M9TX")]
    [InlineData(" h-7kq3m9tx ", "Harvest", "H-7KQ3M9TX")]
    [InlineData("H 7KQ3M9TX", "Harvest", "H-7KQ3M9TX")]
    [InlineData("b-2m8r4tqo", "Batch", "B-2M8R4TQ0")]
    [InlineData("https://tea.example.cn/h/H-7KQ3M9TX", "Harvest", "H-7KQ3M9TX")]
    [InlineData("HTTPS://TEA.EXAMPLE.CN/B/B-2M8R4TQX", "Batch", "B-2M8R4TQX")]
    [InlineData("https://tea.example.cn/b/B-2M8R4TQX/tag", "Batch", "B-2M8R4TQX")]
    [InlineData("/h/H-7KQ3M9TX", "Harvest", "H-7KQ3M9TX")]
    [InlineData("https://tea.example.cn/c/ZC7K2P9Q4M3XT", "Certificate", "ZC7K2P9Q4M3XT")]
    [InlineData("https://tea.example.cn/h/B-2M8R4TQX", "NotACode", "")]
    [InlineData("X7K2P9Q4M3AB", "Bare", "X7K2P9Q4M3AB")]
    [InlineData("x7k2-p9q4-m3ab", "Bare", "X7K2P9Q4M3AB")]
    [InlineData("o7k2 p9q4 m3lI", "Bare", "07K2P9Q4M311")]
    [InlineData("ABCDEFGHJKMNPQRSTVWXY", "NotACode", "")]
    [InlineData("说明书", "NotACode", "")]
    [InlineData("ftp://tea.example.cn/01/06901234560015", "NotACode", "")]
    [InlineData("https://tea.example.cn/about", "NotACode", "")]
    [InlineData("https://id.gs1.org/414/9520123456788", "NotACode", "")]
    [InlineData("https://id.gs1.org/01/06901234560016", "NotACode", "")]
    public void Read_TellsTheKindOfCode(string text, string kind, string value)
    {
        var code = CodeBox.Read(text);

        Assert.Equal(kind, code.Kind.ToString());
        switch (code.Kind)
        {
            case CodeKind.Bare:
                Assert.Equal(value, code.Serial);
                Assert.Equal(text.Trim(), code.Value);
                break;
            case CodeKind.NotACode:
                Assert.False(string.IsNullOrEmpty(code.Reason));
                break;
            default:
                Assert.Equal(value, code.Value);
                break;
        }
    }

    [Theory]
    [InlineData("https://tea.example.cn/01/06901234560015/10/260408-K7Q3MX/21/X7K2P9Q4M3AB", "260408-K7Q3MX", "X7K2P9Q4M3AB")]
    [InlineData("https://id.gs1.org/01/06901234560015/21/X7K2P9Q4M3AB?17=280407", null, "X7K2P9Q4M3AB")]
    [InlineData("tea.example.cn/01/06901234560015/10/A%2FB", "A/B", null)]
    [InlineData("/01/06901234560015/22/V1/10/L1", "L1", null)]
    [InlineData("https://tea.example.cn/01/06901234560015", null, null)]
    public void Read_DigitalLink_KeepsGtinLotAndSerial(string text, string? lot, string? serial)
    {
        var code = CodeBox.Read(text);

        Assert.Equal(CodeKind.DigitalLink, code.Kind);
        Assert.Equal("06901234560015", code.Value);
        Assert.Equal(lot, code.Lot);
        Assert.Equal(serial, code.Serial);
    }

    [Fact]
    public void Read_OverlongText_IsNotACode()
    {
        var code = CodeBox.Read(new string('A', CodeBox.MaxLength + 1));

        Assert.Equal(CodeKind.NotACode, code.Kind);
        Assert.Equal(CodeBox.MaxLength, code.Value.Length);
    }
}
