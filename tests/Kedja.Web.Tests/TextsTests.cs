using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Kedja.Web.Ui;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Tests;

public class TextsTests
{
    private static Dictionary<string, string> Read(string file) =>
        XDocument.Load(Path.Combine(BrowserJourneyTests.ResourceFolder(), file)).Root!.Elements("data")
            .ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value);

    [Fact]
    public void Every_text_of_the_interface_is_there_in_Swedish_and_English_with_the_same_placeholders()
    {
        var sv = Read("Texts.resx");
        var en = Read("Texts.en.resx");
        sv.Keys.Except(en.Keys).ShouldBeEmpty("in Swedish only");
        en.Keys.Except(sv.Keys).ShouldBeEmpty("in English only");
        sv.Where(p => string.IsNullOrWhiteSpace(p.Value) || string.IsNullOrWhiteSpace(en[p.Key])).Select(p => p.Key).ShouldBeEmpty("empty");
        static string Holes(string text) => string.Join(",", Regex.Matches(text, "\\{\\d+\\}").Select(m => m.Value).Order());
        sv.Where(p => Holes(p.Value) != Holes(en[p.Key])).Select(p => p.Key).ShouldBeEmpty("placeholders differ");
    }

    [Fact]
    public async Task Every_text_a_page_asks_for_exists_and_the_app_finds_both_languages()
    {
        // Keys named in the pages: T["..."] with a literal, and the prefixes a page completes with an enum's name.
        var source = Path.GetFullPath(Path.Combine(BrowserJourneyTests.ResourceFolder(), ".."));
        var pages = Directory.EnumerateFiles(source, "*.cshtml", SearchOption.AllDirectories).Where(f => !f.Contains("/bin/") && !f.Contains("/obj/"));
        var sv = Read("Texts.resx");
        var asked = pages.SelectMany(f => Regex.Matches(File.ReadAllText(f), "T\\[\"([A-Za-z.]+)\"").Select(m => m.Groups[1].Value)).ToHashSet();
        asked.ShouldNotBeEmpty();
        asked.Where(key => key.EndsWith('.') ? !sv.Keys.Any(k => k.StartsWith(key, StringComparison.Ordinal)) : !sv.ContainsKey(key)).ShouldBeEmpty("asked for, missing");
        foreach (var kind in Enum.GetNames<Domain.Organisation.UnitKind>())
        {
            sv.ShouldContainKey("UnitKind." + kind);
        }

        foreach (var state in Enum.GetNames<Domain.Periods.WorkflowState>())
        {
            sv.ShouldContainKey("Workflow." + state);
        }

        await using var app = await KedjaApp.StartAsync(nameof(Data.DatabaseProvider.Sqlite));
        var localizer = app.Services.GetRequiredService<IStringLocalizer<Texts>>();
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("sv");
            localizer["SignIn.Title"].Value.ShouldBe("Logga in");
            localizer["SignIn.Title"].ResourceNotFound.ShouldBeFalse();
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
            localizer["SignIn.Title"].Value.ShouldBe("Sign in");
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    /// <summary>The code words security events store as a key step's purpose or a sign-in's way each have a label on /drift (ADR 55).</summary>
    [Fact]
    public void Every_code_word_a_security_event_stores_for_purpose_or_how_has_a_label_in_both_languages()
    {
        var sv = Read("Texts.resx");
        var en = Read("Texts.en.resx");
        string[] words =
        [
            "purpose." + Auth.TwoFactor.SecurityKeys.Register, "purpose." + Auth.TwoFactor.SecurityKeys.SignIn, "how.cookie", "how.oidc",
            "how.security-key", "how.two-factor", "how.recovery-code", "how." + Auth.CookieSignIn.OperatorMethod,
        ];
        words.Where(w => !sv.ContainsKey("Operations.DetailValue." + w) || !en.ContainsKey("Operations.DetailValue." + w)).ShouldBeEmpty("without a label");
        sv["Operations.DetailValue.purpose.register"].ShouldBe("Lägga till nyckel");
    }
}
