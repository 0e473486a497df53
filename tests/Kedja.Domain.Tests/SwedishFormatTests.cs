using Kedja.Domain;

namespace Kedja.Domain.Tests;

/// <summary>Figures as people in Sweden type them, read the same way by every form.</summary>
public class SwedishFormatTests
{
    [Theory]
    [InlineData("1 200,5", 1200.5)]
    [InlineData("1\u00a0200,5", 1200.5)]
    [InlineData("1\u202f200", 1200)]
    [InlineData("1.5", 1.5)]
    [InlineData(" 42 ", 42)]
    [InlineData("\u22123,25", -3.25)]
    [InlineData("-0,5", -0.5)]
    public void A_figure_typed_the_Swedish_way_is_read(string typed, double expected)
    {
        var (number, bad) = SwedishFormat.Read(typed);
        bad.ShouldBeFalse();
        number.ShouldBe((decimal)expected);
    }

    [Theory]
    [InlineData("1,2,3")]
    [InlineData("12 %")]
    [InlineData("tolv")]
    [InlineData("1e3")]
    public void What_is_not_a_figure_is_said_to_be_bad(string typed) =>
        SwedishFormat.Read(typed).ShouldBe((null, true));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Blank_is_no_figure_and_not_an_error(string? typed) =>
        SwedishFormat.Read(typed).ShouldBe((null, false));
}
