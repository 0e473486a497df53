using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Kedja.Web.Tests;

/// <summary>
/// One headless Chromium from Debian (ADR 21) for every browser test in the run: Playwright drives the browser that
/// `.ci/run` installs and never downloads its own. Without a Chromium the browser tests are skipped, with the reason.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    public const string Collection = "browser";

    /// <summary>KEDJA_CHROMIUM, else Debian's /usr/bin/chromium; null when neither exists.</summary>
    public static string? Executable { get; } = new[] { Environment.GetEnvironmentVariable("KEDJA_CHROMIUM"), "/usr/bin/chromium" }
        .FirstOrDefault(path => !string.IsNullOrEmpty(path) && File.Exists(path));

    public const string Missing = "Webbläsartesterna kördes inte: installera Chromium (apt-get install chromium) eller sätt KEDJA_CHROMIUM.";

    /// <summary>Where the tests leave a screenshot of each page they check, to be looked at (not compared).</summary>
    public static string Screens { get; } = Path.Combine(Path.GetTempPath(), "kedja-screens");

    private IPlaywright? playwright;

    public IBrowser Chromium { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Screens);
        playwright = await Playwright.CreateAsync();
        Chromium = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        await Chromium.DisposeAsync();
        playwright?.Dispose();
    }

    /// <summary>A fresh browser context (its own cookies) on the app, Swedish locale, a laptop-sized window.</summary>
    public async Task<IPage> PageAsync(KedjaApp app)
    {
        var context = await Chromium.NewContextAsync(new()
        {
            BaseURL = app.ServerAddress.ToString(),
            Locale = "sv-SE",
            ViewportSize = new() { Width = 1280, Height = 900 },
        });
        // Generous: the browser tests run beside the rest of the suite on two cores, where a page can wait its turn.
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// Signs in through the form and waits for the page it leads to; a refusal fails with what the page said (Swedish
    /// labels: the browser context is Swedish unless a test chose English).
    /// </summary>
    public static async Task SignInAsync(IPage page, string email, string password, string expected = "/k/")
    {
        if (!page.Url.Contains("/logga-in", StringComparison.Ordinal))
        {
            await page.GotoAsync("/logga-in");
        }

        await page.GetByLabel("E-postadress").FillAsync(email);
        await page.GetByLabel("Lösenord").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga in" }).ClickAsync();
        // Waits for the expected page's address (a refused sign-in stays on the form and fails below with its message)
        // rather than for a load event, which a full suite on two cores was once seen to wait a minute for.
        try
        {
            await page.WaitForURLAsync(url => url.Contains(expected, StringComparison.Ordinal) && !url.Contains("/logga-in", StringComparison.Ordinal),
                new() { WaitUntil = WaitUntilState.DOMContentLoaded });
        }
        catch (TimeoutException)
        {
        }

        page.Url.ShouldContain(expected, Case.Sensitive, $"sign-in as {email} ended on {page.Url}: {await page.Locator("main").InnerTextAsync()}");
    }

    /// <summary>axe-core on the page as it stands: every violation of any impact, with where it is.</summary>
    public static async Task<List<string>> AccessibilityAsync(IPage page)
    {
        AxeResult result = await page.RunAxe();
        return [.. result.Violations.Select(v => $"{v.Id} ({v.Impact}): {v.Help} – {string.Join(" | ", v.Nodes.Select(n => n.Target?.ToString()))}")];
    }

    /// <summary>A full-page PNG for a person to look at.</summary>
    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(Screens, name + ".png"), FullPage = true });
}

[CollectionDefinition(Browser.Collection)]
public sealed class BrowserCollection : ICollectionFixture<Browser>;

/// <summary>A test that needs the browser: skipped, with the reason, where no Chromium is installed.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        if (Browser.Executable is null)
        {
            Skip = Browser.Missing;
        }
    }
}

/// <summary>A theory that needs the browser: skipped, with the reason, where no Chromium is installed.</summary>
public sealed class BrowserTheoryAttribute : TheoryAttribute
{
    public BrowserTheoryAttribute()
    {
        if (Browser.Executable is null)
        {
            Skip = Browser.Missing;
        }
    }
}
