using System.Globalization;
using Kedja.Web.Imports;

namespace Kedja.Web.Tests.Imports;

public sealed class ImportNumbersTests
{
    [Theory]
    [InlineData("12", "12")]
    [InlineData("12,5", "12.5")]
    [InlineData("12.5", "12.5")]
    [InlineData("  87,50 ", "87.50")]
    [InlineData("1 234,5", "1234.5")]
    [InlineData("1\u00A0234\u00A0567,25", "1234567.25")]
    [InlineData("1\u202F234", "1234")]
    [InlineData("1.234.567,89", "1234567.89")]
    [InlineData("1,234,567.89", "1234567.89")]
    [InlineData("1.234,5", "1234.5")]
    [InlineData("1,234.5", "1234.5")]
    [InlineData("1 234.5", "1234.5")]
    [InlineData("1.234", "1.234")]
    [InlineData("1,234", "1.234")]
    [InlineData("-3", "-3")]
    [InlineData("+3,25", "3.25")]
    [InlineData("\u22124,5", "-4.5")]
    [InlineData("−1 000", "-1000")]
    [InlineData("45%", "45")]
    [InlineData("45,5 %", "45.5")]
    [InlineData(",5", "0.5")]
    [InlineData("0", "0")]
    [InlineData("007", "7")]
    [InlineData("79228162514264337593543950335", "79228162514264337593543950335")]
    public void Accepts(string text, string expected)
    {
        ImportNumbers.TryParse(text, out var value).ShouldBeTrue(text);
        value.ShouldBe(decimal.Parse(expected, CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("abc")]
    [InlineData("12a")]
    [InlineData("1e5")]
    [InlineData("1,2,3")]
    [InlineData("1.2.3")]
    [InlineData("1,234,567")]
    [InlineData("1.2,3")]
    [InlineData("1 5")]
    [InlineData("12 34")]
    [InlineData("1234 567")]
    [InlineData("1 234,5 6")]
    [InlineData("1  234")]
    [InlineData(" 1,5,")]
    [InlineData("--3")]
    [InlineData("+-3")]
    [InlineData("- 3")]
    [InlineData("3-")]
    [InlineData("%")]
    [InlineData("-")]
    [InlineData(",")]
    [InlineData("1,5.000")]
    [InlineData("12%%")]
    [InlineData("kr 12")]
    [InlineData("12 kr")]
    [InlineData("99999999999999999999999999999999")]
    [InlineData("١٢")]
    public void Refuses(string? text) =>
        ImportNumbers.TryParse(text!, out _).ShouldBeFalse(text);

    [Fact]
    public void The_servers_culture_changes_nothing()
    {
        var before = CultureInfo.CurrentCulture;
        try
        {
            foreach (var culture in new[] { "sv-SE", "en-US", "de-DE", "fr-FR" })
            {
                CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(culture);
                ImportNumbers.TryParse("1 234,5", out var swedish).ShouldBeTrue();
                swedish.ShouldBe(1234.5m);
                ImportNumbers.TryParse("1,234.5", out var english).ShouldBeTrue();
                english.ShouldBe(1234.5m);
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }
}
