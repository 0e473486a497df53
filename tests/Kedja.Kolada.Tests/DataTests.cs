namespace Kedja.Kolada.Tests;

public sealed class DataTests : KoladaTestBase
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Data_comes_as_a_row_per_gender_with_missing_values_as_null(bool v2)
    {
        Fake.SetValue("N01951", "0180", 2023, 984748m, "T");
        Fake.SetValue("N01951", "0180", 2023, 497000.5m, "K");
        Fake.SetValue("N01951", "0180", 2023, null, "M", status: "Saknas");
        Fake.SetValue("N01951", "G114418", 2023, 52000m, count: 4);

        var rows = await Client(v2: v2).GetDataAsync(["N01951"], ["0180", "G114418"]);

        rows.OrderBy(r => r.Entity).ThenBy(r => r.Gender).ShouldBe([
            new KoladaValue("N01951", "0180", 2023, "K", 497000.5m, 1, null),
            new KoladaValue("N01951", "0180", 2023, "M", null, 1, "Saknas"),
            new KoladaValue("N01951", "0180", 2023, "T", 984748m, 1, null),
            new KoladaValue("N01951", "G114418", 2023, "T", 52000m, 4, null),
        ]);
        Fake.Requests.ShouldHaveSingleItem().ShouldStartWith($"/{(v2 ? "v2" : "v3")}/data/kpi/N01951/municipality/0180,G114418?per_page=5000");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_next_page_is_followed_until_there_is_none(bool v2)
    {
        for (var year = 2015; year <= 2021; year++)
        {
            Fake.SetValue("N00945", "1384", year, 30m + year - 2015);
        }

        var rows = await Client(o => o.PerPage = 2, v2).GetDataAsync(["N00945"], ["1384"]);

        rows.Select(r => r.Year).ShouldBe([2015, 2016, 2017, 2018, 2019, 2020, 2021]);
        rows.Select(r => r.Value).ShouldBe([30m, 31m, 32m, 33m, 34m, 35m, 36m]);
        Fake.Requests.Count.ShouldBe(4);
        Fake.Requests[0].ShouldNotMatch("[?&]page=", "the first request names no page");
        Fake.Requests.Skip(1).Select(r => r.Split("page=").Last()).ShouldBe(["2", "3", "4"]);
        Fake.Requests.ShouldAllBe(r => r.Contains("per_page=2"));
    }

    [Fact]
    public async Task Sixty_municipalities_are_split_into_three_segments_for_every_segment_of_kpis()
    {
        var municipalities = Enumerable.Range(1, 60).Select(i => $"{i:0000}").ToList();
        var kpis = Enumerable.Range(1, 30).Select(i => $"N{i:00000}").ToList();
        foreach (var m in municipalities)
        {
            Fake.SetValue("N00001", m, 2022, 1m);
            Fake.SetValue("N00030", m, 2022, 2m);
        }

        var rows = await Client().GetDataAsync(kpis, municipalities, years: [2022]);

        rows.Count.ShouldBe(120);
        rows.Where(r => r.Kpi == "N00030").Select(r => r.Entity).Order().ShouldBe(municipalities);
        Fake.Requests.Count.ShouldBe(6, "two segments of KPIs times three of municipalities");
        Fake.Requests.ShouldAllBe(r => SegmentAfter(r, "kpi").Length <= 25 && SegmentAfter(r, "municipality").Length <= 25);
        Fake.Requests.Select(r => SegmentAfter(r, "municipality").Length).Distinct().Order().ShouldBe([10, 25]);
        Fake.Requests.SelectMany(r => SegmentAfter(r, "municipality")).Distinct().Count().ShouldBe(60);
        Fake.Requests.ShouldAllBe(r => SegmentAfter(r, "year").Single() == "2022");
    }

    [Fact]
    public async Task Nothing_asked_for_is_nothing_fetched()
    {
        Fake.SetValue("N00945", "1384", 2020, 1m);
        var client = Client();

        (await client.GetDataAsync([], ["1384"])).ShouldBeEmpty();
        (await client.GetDataAsync(["N00945"], [" "])).ShouldBeEmpty();
        (await client.GetDataAsync(["N00945"], ["1384"], years: [])).ShouldBeEmpty();
        (await client.GetKpisAsync([])).ShouldBeEmpty();

        Fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Only_the_years_asked_for_are_returned()
    {
        Fake.SetValue("N00945", "1384", 2019, 1m);
        Fake.SetValue("N00945", "1384", 2020, 2m);
        Fake.SetValue("N00945", "1384", 2021, 3m);

        var rows = await Client().GetDataAsync(["N00945"], ["1384"], years: [2019, 2021]);

        rows.Select(r => r.Year).ShouldBe([2019, 2021]);
        Fake.Requests.ShouldHaveSingleItem().ShouldStartWith("/v3/data/kpi/N00945/municipality/1384/year/2019,2021?");
    }

    [Fact]
    public async Task A_revised_value_is_what_a_fetch_from_a_date_returns()
    {
        Fake.SetValue("N00945", "1384", 2022, 40.1m, changed: new DateOnly(2024, 3, 1));
        Fake.SetValue("N00945", "1384", 2023, 41.7m, changed: new DateOnly(2024, 3, 1));
        var client = Client();
        (await client.GetDataAsync(["N00945"], ["1384"])).Select(r => r.Value).ShouldBe([40.1m, 41.7m]);

        Fake.SetValue("N00945", "1384", 2022, 40.4m, changed: new DateOnly(2025, 2, 20));
        var changed = await client.GetDataAsync(["N00945"], ["1384"], fromDate: new DateOnly(2025, 1, 1));

        changed.ShouldBe([new KoladaValue("N00945", "1384", 2022, "T", 40.4m, 1, null)]);
        Fake.Requests.Last().ShouldContain("from_date=2025-01-01");
    }

    [Fact]
    public async Task Organisational_unit_data_names_the_unit()
    {
        Fake.SetOuValue("N15011", "V15E018000101", 2023, 87.5m);
        Fake.SetOuValue("N15011", "V15E018000102", 2023, null);
        Fake.SetValue("N15011", "0180", 2023, 70m);

        var rows = await Client().GetOuDataAsync(["N15011"], ["V15E018000101", "V15E018000102"], [2023]);

        rows.ShouldBe([
            new KoladaValue("N15011", "V15E018000101", 2023, "T", 87.5m, 1, null),
            new KoladaValue("N15011", "V15E018000102", 2023, "T", null, 1, null),
        ]);
        Fake.Requests.ShouldHaveSingleItem().ShouldStartWith("/v3/oudata/kpi/N15011/ou/V15E018000101,V15E018000102/year/2023?");
    }

    [Fact]
    public async Task A_period_sent_as_a_string_is_read_as_the_year()
    {
        Fake.PeriodsAsStrings = true;
        Fake.SetValue("N00945", "1384", 2020, 33m);

        var rows = await Client().GetDataAsync(["N00945"], ["1384"]);

        rows.ShouldHaveSingleItem().Year.ShouldBe(2020);
    }

    [Fact]
    public async Task Nulls_missing_fields_and_fields_of_another_type_are_tolerated()
    {
        Fake.Script("/data/", FakeResponse.Raw("""
            {"values":[
              {"kpi":"N00945","municipality":"1384","period":"2021","unknown":{"deep":[1,2,{"x":null}]},
               "values":[{"gender":"T","count":null,"status":null,"value":null},
                         {"gender":"K","value":"12.5"},
                         {"count":"2","gender":"M","status":"B","value":7,"isdeleted":false}]},
              {"kpi":"N00945","municipality":"1384","period":2022,"values":null},
              {"kpi":"N00945","municipality":"1384","period":2023,"isdeleted":true,"values":[{"gender":"T","value":1}]}
            ],"next_url":null,"count":3}
            """));

        var rows = await Client().GetDataAsync(["N00945"], ["1384"]);

        rows.ShouldBe([
            new KoladaValue("N00945", "1384", 2021, "T", null, 1, null),
            new KoladaValue("N00945", "1384", 2021, "K", 12.5m, 1, null),
            new KoladaValue("N00945", "1384", 2021, "M", 7m, 2, "B"),
        ]);
    }

    [Fact]
    public async Task Metadata_with_nulls_and_flags_as_strings_is_read()
    {
        Fake.Script("/kpi", FakeResponse.Raw("""
            {"values":[{"id":"N00003","title":null,"description":null,"is_divided_by_gender":"1","municipality_type":null,
              "auspices":null,"publication_date":"not a date","publ_period":2024,"has_ou_data":null,"is_deleted":0,
              "something_new":[{"a":1}]}]}
            """));

        var kpi = (await Client().SearchKpisAsync("x")).ShouldHaveSingleItem();

        kpi.ShouldBe(new KoladaKpi("N00003", "", null, true, null, null, null, null, "2024", false, false, null));
    }
}
