using Microsoft.Extensions.Options;

namespace Kedja.Web.Observability;

/// <summary>
/// Keeps the request's address out of the log whatever levels an operator turns on (issue 18, ADR 51): ASP.NET Core's
/// hosting writes every request's whole address with its query string at Information, and routing and static files write
/// the path at Debug, and Razor Pages a handler's arguments (a typed password) at Trace; Kedja's addresses carry secrets there (the one-time code of a password link in the query, the
/// calendar feed's secret in the path). These categories are held at the level above those lines, for every logging
/// provider, after the configuration's own rules (a later rule of the same category wins). The request's route template
/// and duration are in the traces and on the operations page instead.
/// </summary>
public sealed class QuietRequestLines : IPostConfigureOptions<LoggerFilterOptions>
{
    public static readonly IReadOnlyDictionary<string, LogLevel> Categories = new Dictionary<string, LogLevel>
    {
        ["Microsoft.AspNetCore.Hosting.Diagnostics"] = LogLevel.Warning,
        ["Microsoft.AspNetCore.Routing"] = LogLevel.Information,
        ["Microsoft.AspNetCore.StaticFiles"] = LogLevel.Information,
        // Razor Pages and MVC write a handler's arguments at Trace: the password of the sign-in form among them.
        ["Microsoft.AspNetCore.Mvc"] = LogLevel.Debug,
    };

    public void PostConfigure(string? name, LoggerFilterOptions options)
    {
        foreach (var provider in options.Rules.Select(r => r.ProviderName).Append(null).Distinct().ToList())
        {
            foreach (var (category, level) in Categories)
            {
                // Only raise: a configuration asking for less (Warning for all of ASP.NET Core) keeps its own.
                var configured = options.Rules.LastOrDefault(r => r.ProviderName == provider && r.CategoryName is { } c && category.StartsWith(c, StringComparison.Ordinal))?.LogLevel
                    ?? options.Rules.LastOrDefault(r => r.ProviderName == provider && r.CategoryName is null)?.LogLevel ?? options.MinLevel;
                options.Rules.Add(new LoggerFilterRule(provider, category, configured > level ? configured : level, null));
            }
        }
    }
}
