namespace Kedja.Web.Tests;

/// <summary>The portal's settings say the same in the API and in the tenant document.</summary>
public partial class RoundTripTests
{
    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_portal_settings_put_back_as_get_gave_them_are_unchanged_and_are_the_document_s_portal(string provider)
    {
        await using var app = await KedjaApp.StartAsync(provider, seedDemo: true);
        var admin = await app.ClientAsync();
        var url = $"{Base}/portal-settings";
        var settings = await GetAsync(admin, url);
        settings["licence"] = "ccBy40";
        settings["embedOrigins"] = new System.Text.Json.Nodes.JsonArray("https://www.exempelkommun.se", "https://intra.exempelkommun.se:8443");
        settings["accessibilityStatement"] = "## Kontakt\nRing 0123-45 67 89.";
        settings["publishAssignments"].ShouldNotBeNull().GetValue<bool>().ShouldBeFalse("off until the municipality chooses");
        settings["publishControlPlans"]!.GetValue<bool>().ShouldBeFalse();
        settings["publishAssignments"] = true;
        settings["publishControlPlans"] = true;
        await PutAsync(admin, url, settings);

        var after = await RoundTripAsync(admin, () => GetAsync(admin, url), url);

        Shape(after).ShouldBe((await ExportAsync(admin))["portal"]!.ToJsonString());
        after["embedOrigins"]!.AsArray().Count.ShouldBe(2);
        (after["publishAssignments"]!.GetValue<bool>(), after["publishControlPlans"]!.GetValue<bool>()).ShouldBe((true, true));

        // Each switch on its own, and back off: what was put is what is read and exported.
        after["publishAssignments"] = false;
        await PutAsync(admin, url, after);
        var one = await GetAsync(admin, url);
        (one["publishAssignments"]!.GetValue<bool>(), one["publishControlPlans"]!.GetValue<bool>()).ShouldBe((false, true));
        Shape(one).ShouldBe((await ExportAsync(admin))["portal"]!.ToJsonString());
    }
}
