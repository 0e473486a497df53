namespace Kedja.Kolada.Tests;

public sealed class MetadataTests : KoladaTestBase
{
    private static readonly FakeKpi Vab = new(
        "N00945", "Tillfälliga föräldrapenningdagar (VAB) som tas ut av män, andel (%)",
        Description: "Andel av VAB-dagarna som tas ut av män.", IsDividedByGender: false, MunicipalityType: "K",
        OperatingArea: "Arbetsmarknad", Perspective: "Befolkning", PublicationDate: "2025-02-22", PublPeriod: "2024",
        HasOuData: false, Auspice: null);

    private static readonly FakeKpi Residents = new(
        "N01951", "Invånare totalt, antal", IsDividedByGender: true, MunicipalityType: "A",
        PublicationDate: "2025-03-20", PublPeriod: "2024", HasOuData: true, Auspice: "X");

    [Fact]
    public async Task Kpi_search_reads_the_v3_metadata_of_each_match()
    {
        Fake.AddKpi(Vab);
        Fake.AddKpi(Residents);

        var found = await Client().SearchKpisAsync("föräldrapenning");

        var kpi = found.ShouldHaveSingleItem();
        kpi.ShouldBe(new KoladaKpi(
            "N00945", Vab.Title, "Andel av VAB-dagarna som tas ut av män.", false, "K", "Arbetsmarknad", "Befolkning",
            new DateOnly(2025, 2, 22), "2024", false, false, null));
        Fake.Requests.ShouldHaveSingleItem().ShouldStartWith("/v3/kpi?title=f%C3%B6r%C3%A4ldrapenning");
    }

    [Fact]
    public async Task Kpi_metadata_in_the_v2_shape_reads_auspices_and_flags_given_as_numbers()
    {
        Fake.AddKpi(Residents);
        Fake.AddKpi(Vab with { IsDeleted = true });

        var kpis = await Client(v2: true).GetKpisAsync(["N01951", "N00945"]);

        kpis.Count.ShouldBe(2);
        var residents = kpis.Single(k => k.Id == "N01951");
        residents.IsDividedByGender.ShouldBeTrue();
        residents.HasOuData.ShouldBeTrue();
        residents.Auspice.ShouldBe("X");
        residents.MunicipalityType.ShouldBe("A");
        residents.IsDeleted.ShouldBeFalse();
        kpis.Single(k => k.Id == "N00945").IsDeleted.ShouldBeTrue();
        Fake.Requests.ShouldHaveSingleItem().ShouldStartWith("/v2/kpi/N01951,N00945?");
    }

    [Fact]
    public async Task Sixty_kpi_ids_are_asked_for_in_three_segments_of_at_most_25()
    {
        var ids = Enumerable.Range(1, 60).Select(i => $"N{i:00000}").ToList();
        foreach (var id in ids)
        {
            Fake.AddKpi(new FakeKpi(id, $"Nyckeltal {id}"));
        }

        var kpis = await Client().GetKpisAsync(ids);

        kpis.Select(k => k.Id).Order().ShouldBe(ids);
        Fake.Requests.Count.ShouldBe(3);
        Fake.Requests.Select(r => SegmentAfter(r, "kpi").Length).ShouldBe([25, 25, 10]);
    }

    [Fact]
    public async Task A_removed_kpi_is_no_longer_returned_nor_its_values()
    {
        Fake.AddKpi(Vab);
        Fake.AddKpi(Residents);
        Fake.SetValue("N00945", "0180", 2020, 31.5m);
        var client = Client();
        (await client.GetKpisAsync(["N00945", "N01951"])).Count.ShouldBe(2);

        Fake.RemoveKpi("N00945");

        (await client.GetKpisAsync(["N00945", "N01951"])).ShouldHaveSingleItem().Id.ShouldBe("N01951");
        (await client.GetDataAsync(["N00945"], ["0180"])).ShouldBeEmpty();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Municipalities_come_with_their_type(bool v2)
    {
        Fake.AddMunicipality("0000", "Riket", "L");
        Fake.AddMunicipality("0180", "Stockholm");
        Fake.AddMunicipality("1384", "Kungsbacka");

        var all = await Client(v2: v2).GetMunicipalitiesAsync();

        all.ShouldBe([
            new KoladaMunicipality("0000", "Riket", "L"),
            new KoladaMunicipality("0180", "Stockholm", "K"),
            new KoladaMunicipality("1384", "Kungsbacka", "K"),
        ]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Comparison_groups_come_with_their_members(bool v2)
    {
        Fake.AddMunicipality("0319", "Älvkarleby");
        Fake.AddMunicipality("1984", "Arboga");
        Fake.AddGroup("G114418", "Fyrkommunsnätverket (ovägt medel)", "0319", "1984");
        Fake.AddGroup("G114419", "Liknande kommuner", "1984");
        var client = Client(v2: v2);

        var groups = await client.GetGroupsAsync();
        var one = await client.GetGroupAsync("G114418");
        var none = await client.GetGroupAsync("G999999");

        groups.Select(g => g.Id).ShouldBe(["G114418", "G114419"]);
        one.ShouldNotBeNull();
        one.Title.ShouldBe("Fyrkommunsnätverket (ovägt medel)");
        one.Members.ShouldBe([new KoladaGroupMember("0319", "Älvkarleby"), new KoladaGroupMember("1984", "Arboga")]);
        none.ShouldBeNull();
        Fake.Requests.ShouldContain(r => r.StartsWith($"/{(v2 ? "v2" : "v3")}/municipality_groups/G114418?", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Organisational_units_are_those_of_the_municipality_asked_for()
    {
        Fake.AddOu("V15E018000101", "0180", "Adolf Fredriks musikklasser");
        Fake.AddOu("V15E018000102", "0180", "Alviksskolan");
        Fake.AddOu("V15E138400101", "1384", "Aranäsgymnasiet");

        var units = await Client().GetOusAsync("0180");

        units.ShouldBe([
            new KoladaOu("V15E018000101", "Adolf Fredriks musikklasser", "0180"),
            new KoladaOu("V15E018000102", "Alviksskolan", "0180"),
        ]);
        Fake.Requests.ShouldHaveSingleItem().ShouldStartWith("/v3/ou?municipality=0180&per_page=");
    }
}
