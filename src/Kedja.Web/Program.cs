using Kedja.Web;
using Kedja.Web.Cli;

var builder = WebApplication.CreateBuilder(Verbs.HostArgs(args));
builder.Services.AddKedja(builder.Configuration, builder.Environment);
var app = builder.Build();

if (Verbs.IsVerb(args))
{
    return await Verbs.RunAsync(app, args);
}

await Startup.PrepareAsync(app);
app.UseKedja();
await app.RunAsync();
return 0;
public partial class Program;
