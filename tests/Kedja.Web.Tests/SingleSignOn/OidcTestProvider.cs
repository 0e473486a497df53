using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Kedja.Web.Tests.SingleSignOn;

public sealed record OidcClient(string Id, string Secret, string RedirectUri, string PostLogoutRedirectUri);

public sealed record OidcAccount(string Sub, string Email, params string[] Groups);

/// <summary>
/// The certified OpenID Connect provider (npm oidc-provider, tests/tools/oidc-provider.mjs) on 127.0.0.1, named
/// http://localhost:{port} so that it is another site than the app on 127.0.0.1, as a municipality's provider is.
/// Its accounts are read from a file at every login, so a test changes a person's groups between sign-ins.
/// </summary>
public sealed class OidcTestProvider : IAsyncDisposable
{
    private readonly Process process;
    private readonly string accountsFile;

    private OidcTestProvider(Process process, string issuer, string accountsFile)
    {
        this.process = process;
        Issuer = issuer;
        this.accountsFile = accountsFile;
    }

    public string Issuer { get; }

    public static async Task<OidcTestProvider> StartAsync(IEnumerable<OidcClient> clients, params OidcAccount[] accounts)
    {
        var folder = await NodeTools.EnsureInstalledAsync();
        var port = FreePort();
        var file = Path.Combine(Path.GetTempPath(), "kedja-tests", $"oidc-accounts-{Guid.NewGuid():N}.json");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        Write(file, accounts);
        var start = new ProcessStartInfo(NodeTools.Node!)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "oidc-provider.mjs", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--host", "localhost", "--accounts-file", file })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var client in clients)
        {
            start.ArgumentList.Add("--client");
            start.ArgumentList.Add($"{client.Id},{client.Secret},{client.RedirectUri},{client.PostLogoutRedirectUri}");
        }

        var process = Process.Start(start)!;
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            if (line is null)
            {
                await process.WaitForExitAsync(CancellationToken.None);
                throw new InvalidOperationException($"oidc-provider.mjs stopped ({process.ExitCode}): {errors}");
            }

            if (line.StartsWith("oidc-provider ready", StringComparison.Ordinal))
            {
                break;
            }
        }

        // Keeps reading, so that the provider never blocks on a full pipe.
        _ = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is not null)
            {
            }
        });
        return new OidcTestProvider(process, $"http://localhost:{port}", file);
    }

    /// <summary>The provider's accounts from now on (the next login and token read them).</summary>
    public void SetAccounts(params OidcAccount[] accounts) => Write(accountsFile, accounts);

    private static void Write(string file, OidcAccount[] accounts)
    {
        var temporary = file + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(accounts.Select(a => new { sub = a.Sub, email = a.Email, groups = a.Groups })));
        File.Move(temporary, file, overwrite: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        File.Delete(accountsFile);
    }
}

/// <summary>A browser test against the Node.js provider: skipped, with the reason, without Node.js or without Chromium.</summary>
public sealed class NodeBrowserTheoryAttribute : TheoryAttribute
{
    public NodeBrowserTheoryAttribute()
    {
        if (NodeTools.Node is null || NodeTools.Npm is null)
        {
            Skip = NodeTools.Missing;
        }
        else if (Browser.Executable is null)
        {
            Skip = Browser.Missing;
        }
    }
}
