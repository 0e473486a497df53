using Kedja.Web.Imports;

namespace Kedja.Web.Tests.Imports;

public sealed class ImportFileNameTests
{
    [Theory]
    [InlineData("utfall.csv", "utfall.csv")]
    [InlineData("  Utfall mars 2026.xlsx ", "Utfall mars 2026.xlsx")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData(@"C:\Users\anna\Dokument\utfall.csv", "utfall.csv")]
    [InlineData(@"..\..\windows\win.ini", "win.ini")]
    [InlineData("fil\u202Evsc.exe", "filvsc.exe")]
    [InlineData("rad\r\nett\t.csv", "radett.csv")]
    [InlineData("<img src=x onerror=alert(1)>.csv", "<img src=x onerror=alert(1)>.csv")]
    [InlineData("   ", "")]
    [InlineData(null, "")]
    public void The_logged_name_is_the_last_path_part_without_control_or_format_characters(string? sent, string logged) =>
        ImportJobs.CleanFileName(sent).ShouldBe(logged);
}
