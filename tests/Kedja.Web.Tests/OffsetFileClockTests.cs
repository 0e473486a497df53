using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Kedja.Web.Tests;

/// <summary>Kedja:Testing:ClockOffsetFile moves the clock of running app nodes together, never in Production (issue 17).</summary>
public class OffsetFileClockTests
{
    /// <summary>The TimeProvider the app's own registration gives, as a start in that environment builds it.</summary>
    private static TimeProvider ClockOf(string environment, string? offsetFile)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment, ContentRootPath = Path.GetTempPath() });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Kedja:Testing:ClockOffsetFile"] = offsetFile });
        builder.Services.AddKedja(builder.Environment);
        var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<TimeProvider>();
    }

    [Fact]
    public async Task Every_node_given_the_file_moves_by_its_offset_and_follows_a_change_within_a_tenth_of_a_second()
    {
        var file = Path.Combine(Path.GetTempPath(), $"kedja-clock-{Guid.NewGuid():N}");
        try
        {
            await File.WriteAllTextAsync(file, "1.00:00:00");
            var first = ClockOf("Staging", file);
            var second = ClockOf("Development", file);
            first.ShouldBeOfType<OffsetFileClock>();
            foreach (var clock in new[] { first, second })
            {
                (clock.GetUtcNow() - DateTimeOffset.UtcNow).ShouldBeInRange(TimeSpan.FromHours(23.9), TimeSpan.FromHours(24.1));
            }

            await File.WriteAllTextAsync(file, "-3600");
            await Task.Delay(OffsetFileClock.RereadAfter + TimeSpan.FromMilliseconds(50));
            foreach (var clock in new[] { first, second })
            {
                (clock.GetUtcNow() - DateTimeOffset.UtcNow).ShouldBeInRange(TimeSpan.FromMinutes(-61), TimeSpan.FromMinutes(-59));
            }

            File.Delete(file);
            await Task.Delay(OffsetFileClock.RereadAfter + TimeSpan.FromMilliseconds(50));
            (first.GetUtcNow() - DateTimeOffset.UtcNow).Duration().ShouldBeLessThan(TimeSpan.FromMinutes(1), "no file is no offset");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Production_ignores_the_setting_and_without_it_the_clock_is_the_systems()
    {
        var file = Path.Combine(Path.GetTempPath(), $"kedja-clock-{Guid.NewGuid():N}");
        try
        {
            await File.WriteAllTextAsync(file, "30.00:00:00");
            ClockOf("Production", file).ShouldBeSameAs(TimeProvider.System);
            ClockOf("Staging", null).ShouldBeSameAs(TimeProvider.System);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("86400", 86400)]
    [InlineData(" 2.00:00:00\n", 172800)]
    [InlineData("-00:30:00", -1800)]
    [InlineData("soon", 0)]
    [InlineData("1e300", 0)]
    public async Task The_file_holds_seconds_or_a_time_span_and_anything_else_is_no_offset(string text, double seconds)
    {
        var file = Path.Combine(Path.GetTempPath(), $"kedja-clock-{Guid.NewGuid():N}");
        try
        {
            await File.WriteAllTextAsync(file, text);
            OffsetFileClock.Read(file).ShouldBe(TimeSpan.FromSeconds(seconds));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
