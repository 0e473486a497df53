namespace Kedja.Web.Infrastructure;

/// <summary>
/// Where Kedja finds its appsettings.json. ASP.NET Core takes the working folder, so `dotnet /opt/kedja/Kedja.Web.dll`
/// started from any other folder would run without its settings (logging every request, among others). When the
/// working folder has no settings and the application's own folder has, that folder is the content root. An explicit
/// choice (--contentRoot, or the environment variable) is left alone, and so is `dotnet run`, which starts in the project.
/// </summary>
public static class ContentRoot
{
    public static WebApplicationOptions Options(string[] args) => new() { Args = args, ContentRootPath = Choose(args, Directory.GetCurrentDirectory(), AppContext.BaseDirectory) };

    internal static string? Choose(string[] args, string workingFolder, string applicationFolder)
    {
        var chosen = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT"));
        return !chosen && !File.Exists(Path.Combine(workingFolder, "appsettings.json")) && File.Exists(Path.Combine(applicationFolder, "appsettings.json"))
            ? applicationFolder
            : null;
    }

    /// <summary>
    /// Started from the build output (`dotnet src/Kedja.Web/bin/Release/net10.0/Kedja.Web.dll`) rather than a published
    /// folder, the stylesheet stays in the project's wwwroot and only Development would find it: every page came
    /// unstyled. The build leaves a manifest of where its static files are; a published folder has its own wwwroot and
    /// no manifest, and Development reads the manifest by itself.
    /// </summary>
    public static void ServeBuildOutputFiles(WebApplicationBuilder builder)
    {
        var environment = builder.Environment;
        if (environment.IsDevelopment() || Directory.Exists(Path.Combine(environment.ContentRootPath, "wwwroot")))
        {
            return;
        }

        try
        {
            builder.WebHost.UseStaticWebAssets();
        }
        catch (DirectoryNotFoundException)
        {
            // The build output was copied away from its sources: there is nothing to serve, as before.
        }
    }
}
