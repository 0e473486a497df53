using Kedja.Web;
using Kedja.Web.Cli;
using Kedja.Web.Infrastructure;

if (Verbs.IsVerb(args))
{
    return await Verbs.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(ContentRoot.Options(args));
ContentRoot.ServeBuildOutputFiles(builder);
builder.Services.AddKedja(builder.Environment);
Kedja.Web.Observability.TelemetryHosting.AddKedjaTelemetry(builder.Services, builder.Configuration); // issue 18, h182
WebApplication app;
try
{
    app = KedjaOptions.Build(builder);
    KedjaOptions.Validate(app.Services);
    await Startup.PrepareAsync(app);
}
catch (StartupException e)
{
    // The operator's to fix, in one line rather than a stack trace.
    Console.Error.WriteLine(e.Message);
    return 1;
}

app.UseKedja();
await app.RunAsync();
return 0;
public partial class Program;
