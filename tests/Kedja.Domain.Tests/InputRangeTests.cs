using Kedja.Domain.Periods;

namespace Kedja.Domain.Tests;

public class InputRangeTests
{
    [Theory]
    [InlineData("1989")]
    [InlineData("2101-T1")]
    [InlineData("0000")]
    [InlineData("9999-12")]
    public void Period_keys_outside_the_year_range_are_rejected(string key) => PeriodRef.TryParse(key, out _).ShouldBeFalse();

    [Theory]
    [InlineData("1990")]
    [InlineData("2100-T3")]
    public void Period_keys_at_the_edges_of_the_year_range_are_accepted(string key) => PeriodRef.TryParse(key, out _).ShouldBeTrue();

    [Fact]
    public void Values_stay_below_a_magnitude_of_ten_to_the_twelfth()
    {
        Values.Contains(999_999_999_999.9999m).ShouldBeTrue();
        Values.Contains(-999_999_999_999.9999m).ShouldBeTrue();
        Values.Contains(1_000_000_000_000m).ShouldBeFalse();
        Values.Contains(decimal.MinValue).ShouldBeFalse();
        Values.Message.ShouldBe("Värdet ska ligga mellan -1\u00a0000\u00a0000\u00a0000\u00a0000 och 1\u00a0000\u00a0000\u00a0000\u00a0000.");
    }
}
