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
}
