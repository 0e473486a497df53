using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Kedja.Web.Tests;

/// <summary>"Glömt lösenord" in the browser, which the mails point to: the API's rules, the API's answer, a page.</summary>
[Collection(Browser.Collection)]
public sealed class ForgotPasswordPageTests(Browser browser)
{
    private static async Task<HttpResponseMessage> AskAsync(HttpClient client, string email)
    {
        var html = await client.GetStringAsync("/konto/glomt");
        var token = Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        return await client.PostAsync("/konto/glomt", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["Email"] = email }));
    }

    [Fact]
    public async Task A_known_and_an_unknown_address_get_the_same_page_and_only_the_known_one_a_link()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite));
        var unknown = await AskAsync(app.CreateClient(), "ingen.alls@example.se");
        var known = await AskAsync(app.CreateClient(), KedjaApp.AdminEmail);
        unknown.StatusCode.ShouldBe(HttpStatusCode.OK);
        known.StatusCode.ShouldBe(HttpStatusCode.OK);
        static string Main(string html) => Regex.Match(html, "<main.*</main>", RegexOptions.Singleline).Value;
        Main(await unknown.Content.ReadAsStringAsync()).ShouldBe(Main(await known.Content.ReadAsStringAsync()));
        Main(await known.Content.ReadAsStringAsync()).ShouldContain("Om adressen hör till ett konto i Kedja skickas ett brev");

        (await app.WaitForMailsAsync(KedjaApp.AdminEmail)).Single().Subject.ShouldBe("Nytt lösenord till Kedja");
        app.MailsTo("ingen.alls@example.se").ShouldBeEmpty();

        var empty = await AskAsync(app.CreateClient(), "");
        empty.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await empty.Content.ReadAsStringAsync()).ShouldContain("Skriv din e-postadress.");

        // Without the antiforgery token nothing is sent.
        var forged = await app.CreateClient().PostAsync("/konto/glomt", new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = KedjaApp.AdminEmail }));
        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [BrowserFact]
    public async Task The_sign_in_page_leads_to_it_and_it_reads_well()
    {
        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite), kestrel: true);
        var page = await browser.PageAsync(app);
        await page.GotoAsync("/logga-in");
        await page.GetByRole(AriaRole.Link, new() { Name = "Glömt lösenord?" }).ClickAsync();
        (await page.Locator("h1").InnerTextAsync()).ShouldBe("Glömt lösenord");
        await Browser.ScreenshotAsync(page, "glomt");
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty();
        await page.GetByLabel("E-postadress").FillAsync(KedjaApp.AdminEmail);
        await page.GetByRole(AriaRole.Button, new() { Name = "Skicka länk" }).ClickAsync();
        (await page.GetByRole(AriaRole.Status).InnerTextAsync()).ShouldContain("skickas ett brev");
        await Browser.ScreenshotAsync(page, "glomt-skickat");
        (await Browser.AccessibilityAsync(page)).ShouldBeEmpty();
    }
}
