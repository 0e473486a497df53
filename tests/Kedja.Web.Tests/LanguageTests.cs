using Kedja.Web.Ui;

namespace Kedja.Web.Tests;

/// <summary>Times are shown as a clock in Sweden shows them, whatever zone the server runs in.</summary>
public class LanguageTests
{
    [Theory]
    [InlineData("2026-11-30T17:24:00Z", "2026-11-30 18:24")]
    [InlineData("2026-07-01T12:00:00Z", "2026-07-01 14:00")]
    [InlineData("2026-03-29T00:59:00Z", "2026-03-29 01:59")]
    [InlineData("2026-03-29T01:00:00Z", "2026-03-29 03:00")]
    public void A_stored_time_is_shown_in_Swedish_time_winter_and_summer(string utc, string shown)
    {
        var at = DateTime.Parse(utc, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);
        Language.InSweden(at).ToString("yyyy-MM-dd HH:mm", Language.Formats).ShouldBe(shown);
        // A time read from the database without its kind is UTC as stored.
        Language.InSweden(DateTime.SpecifyKind(at, DateTimeKind.Unspecified)).ToString("yyyy-MM-dd HH:mm", Language.Formats).ShouldBe(shown);
    }
}
