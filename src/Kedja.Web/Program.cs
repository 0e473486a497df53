using Kedja.Web;
using Kedja.Web.Cli;

var builder = WebApplication.CreateBuilder(Verbs.HostArgs(args));
builder.Services.AddKedja(builder.Configuration, builder.Environment);
var app = builder.Build();

if (Verbs.IsVerb(args))
{
    return await Verbs.RunAsync(app, args);
}

try
{
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
