using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kedja.Kolada.Tests;

public sealed class ResilienceTests : KoladaTestBase
{
    [Fact]
    public async Task Too_many_requests_waits_as_long_as_retry_after_says_then_succeeds()
    {
        Fake.SetValue("N00945", "1384", 2020, 33m);
        Fake.Script("/data/", FakeResponse.TooManyRequests("1"));

        var watch = Stopwatch.StartNew();
        var rows = await Client().GetDataAsync(["N00945"], ["1384"]);
        watch.Stop();

        rows.ShouldHaveSingleItem().Value.ShouldBe(33m);
        Fake.Requests.Count.ShouldBe(2);
        watch.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(0.98));
    }

    [Fact]
    public async Task Retry_after_as_a_date_is_honoured()
    {
        Fake.AddMunicipality("1384", "Kungsbacka");
        // HTTP dates have whole seconds: two seconds ahead is at least one second after truncation.
        Fake.Script("/municipality", FakeResponse.TooManyRequests(DateTimeOffset.UtcNow.AddSeconds(2).ToString("R")));

        var watch = Stopwatch.StartNew();
        var all = await Client().GetMunicipalitiesAsync();
        watch.Stop();

        all.ShouldHaveSingleItem().Id.ShouldBe("1384");
        watch.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(0.98));
    }

    [Fact]
    public async Task A_longer_retry_after_than_allowed_is_cut_to_the_maximum()
    {
        Fake.AddMunicipality("1384", "Kungsbacka");
        Fake.Script("/municipality", FakeResponse.TooManyRequests("3600"));

        var watch = Stopwatch.StartNew();
        var all = await Client(o => o.MaxRetryAfterSeconds = 1).GetMunicipalitiesAsync();
        watch.Stop();

        all.ShouldHaveSingleItem();
        watch.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(0.98));
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_server_error_is_retried_and_the_retry_succeeds()
    {
        Fake.SetValue("N00945", "1384", 2020, 33m);
        Fake.Script("/data/", FakeResponse.ServerError(), FakeResponse.ServerError(503));

        var rows = await Client().GetDataAsync(["N00945"], ["1384"]);

        rows.ShouldHaveSingleItem().Value.ShouldBe(33m);
        Fake.Requests.Count.ShouldBe(3);
    }

    [Fact]
    public async Task A_server_that_keeps_failing_makes_kolada_unavailable_after_every_retry()
    {
        Fake.ScriptAlways("/data/", FakeResponse.ServerError());

        var error = await Should.ThrowAsync<KoladaUnavailableException>(
            () => Client(o => o.MaxRetries = 2).GetDataAsync(["N00945"], ["1384"]));

        error.Message.ShouldStartWith("Kolada svarar inte just nu.");
        error.Message.ShouldContain("HTTP 500");
        error.StatusCode.ShouldBe(500);
        error.Url.ShouldContain("/v3/data/kpi/N00945/municipality/1384");
        Fake.Requests.Count.ShouldBe(3, "the first attempt and two retries");
    }

    [Fact]
    public async Task An_attempt_slower_than_the_timeout_is_retried_and_then_kolada_is_unavailable()
    {
        Fake.ScriptAlways("/kpi", FakeResponse.Slow(TimeSpan.FromSeconds(20)));

        var watch = Stopwatch.StartNew();
        var error = await Should.ThrowAsync<KoladaUnavailableException>(
            () => Client(o => { o.TimeoutSeconds = 0.3; o.MaxRetries = 1; }).SearchKpisAsync("skola"));
        watch.Stop();

        error.Message.ShouldContain("inget svar kom i tid");
        Fake.Requests.Count.ShouldBe(2);
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task All_attempts_together_stop_at_the_total_timeout()
    {
        Fake.ScriptAlways("/kpi", FakeResponse.Slow(TimeSpan.FromSeconds(20)));

        var watch = Stopwatch.StartNew();
        var error = await Should.ThrowAsync<KoladaUnavailableException>(
            () => Client(o => { o.TimeoutSeconds = 0.5; o.MaxRetries = 20; o.RetryBaseDelaySeconds = 0.2; o.TotalTimeoutSeconds = 2; }).SearchKpisAsync("skola"));
        watch.Stop();

        error.Message.ShouldStartWith("Kolada svarar inte just nu.");
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(6), "twenty retries of half a second each and their waits would take far longer");
        Fake.Requests.Count.ShouldBeLessThan(10);
    }

    [Fact]
    public async Task One_slow_attempt_is_retried_and_the_next_one_answers()
    {
        Fake.AddKpi(new FakeKpi("N15011", "Elever i åk 9 som är behöriga till yrkesprogram"));
        Fake.Script("/kpi", FakeResponse.Slow(TimeSpan.FromSeconds(20)));

        var found = await Client(o => o.TimeoutSeconds = 0.3).SearchKpisAsync("behöriga");

        found.ShouldHaveSingleItem().Id.ShouldBe("N15011");
        Fake.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_body_that_stalls_halfway_counts_as_a_timed_out_attempt()
    {
        Fake.AddMunicipality("1384", "Kungsbacka");
        Fake.Script("/municipality", FakeResponse.StalledBody(TimeSpan.FromSeconds(20)));

        var watch = Stopwatch.StartNew();
        var all = await Client(o => o.TimeoutSeconds = 0.5).GetMunicipalitiesAsync();
        watch.Stop();

        all.ShouldHaveSingleItem().Title.ShouldBe("Kungsbacka");
        Fake.Requests.Count.ShouldBe(2);
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData(404, "HTTP 404")]
    [InlineData(400, "HTTP 400")]
    public async Task A_refused_request_is_not_retried(int status, string said)
    {
        Fake.ScriptAlways("/data/", new FakeResponse(status, """{"message":"no"}"""));

        var error = await Should.ThrowAsync<KoladaRequestException>(() => Client().GetDataAsync(["N00945"], ["1384"]));

        error.StatusCode.ShouldBe(status);
        error.Message.ShouldContain(said);
        error.Message.ShouldStartWith("Kolada ");
        Fake.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task An_unknown_address_at_the_fake_is_a_404_too()
    {
        var error = await Should.ThrowAsync<KoladaRequestException>(
            () => Client(o => o.BaseUrl = Fake.Root + "/v9").GetMunicipalitiesAsync());

        error.StatusCode.ShouldBe(404);
        Fake.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_closed_port_makes_kolada_unavailable()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var error = await Should.ThrowAsync<KoladaUnavailableException>(
            () => Client(o => o.BaseUrl = $"http://127.0.0.1:{port}/v3").GetMunicipalitiesAsync());

        error.Message.ShouldContain("det gick inte att få kontakt");
        error.StatusCode.ShouldBeNull();
    }

    [Theory]
    [InlineData("""{"values":[{"kpi":"N00945","municipality":"1384","period":2020,"values":[{"gender":"T","value":NaN}]}]}""")]
    [InlineData("""[{"kpi":"N00945","kommun":"1384","år":1996,"värde":NaN}]""")]
    [InlineData("""{"values":[{"kpi":"N00945",""")]
    [InlineData("<html><body>Bad gateway</body></html>")]
    public async Task A_body_that_is_not_json_gives_a_clear_error(string body)
    {
        Fake.Script("/data/", FakeResponse.Raw(body));

        var error = await Should.ThrowAsync<KoladaResponseException>(() => Client().GetDataAsync(["N00945"], ["1384"]));

        error.Message.ShouldStartWith("Kolada skickade ett svar som inte går att läsa");
        Fake.Requests.Count.ShouldBe(1);
    }

    [Theory]
    [InlineData("""[{"kpi":"N00945","kommun":"1384","år":1996,"värde":1}]""", "values")]
    [InlineData("""{"values":[{"kpi":"N00945","municipality":"1384","period":"2020T1","values":[]}]}""", "2020T1")]
    [InlineData("""{"values":[{"kpi":"N00945","municipality":"1384","period":2020,"values":[{"gender":"T","value":"many"}]}]}""", "many")]
    [InlineData("""{"values":[{"municipality":"1384","period":2020,"values":[]}]}""", "kpi")]
    public async Task Json_of_another_shape_gives_a_clear_error_naming_what_is_wrong(string body, string named)
    {
        Fake.Script("/data/", FakeResponse.Raw(body));

        var error = await Should.ThrowAsync<KoladaResponseException>(() => Client().GetDataAsync(["N00945"], ["1384"]));

        error.Message.ShouldContain(named);
        error.Url.ShouldContain("/data/kpi/N00945");
    }

    [Fact]
    public async Task A_next_link_that_leads_back_is_not_followed_forever()
    {
        var self = Fake.BaseUrl + "/municipality?per_page=5000";
        Fake.ScriptAlways("/municipality", FakeResponse.Raw($$"""{"values":[],"next_url":"{{self}}"}"""));

        await Should.ThrowAsync<KoladaResponseException>(() => Client().GetMunicipalitiesAsync());

        Fake.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_next_link_to_another_site_is_not_followed()
    {
        Fake.ScriptAlways("/municipality", FakeResponse.Raw("""{"values":[],"next_url":"http://127.0.0.2:9/v3/municipality?page=2"}"""));

        var error = await Should.ThrowAsync<KoladaResponseException>(() => Client().GetMunicipalitiesAsync());

        error.Message.ShouldContain("leder till en annan webbplats");
        Fake.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Cancelling_the_caller_is_a_cancellation_not_an_outage()
    {
        Fake.ScriptAlways("/kpi", FakeResponse.Slow(TimeSpan.FromSeconds(20)));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Should.ThrowAsync<OperationCanceledException>(() => Client().SearchKpisAsync("x", cancel.Token));
    }

    [Fact]
    public void Settings_are_read_from_the_kedja_kolada_section()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Kedja:Kolada:BaseUrl"] = "http://127.0.0.1:9/v2",
                ["Kedja:Kolada:TimeoutSeconds"] = "5",
                ["Kedja:Kolada:MaxRetries"] = "2",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddKolada();
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<KoladaOptions>>().Value;

        options.BaseUrl.ShouldBe("http://127.0.0.1:9/v2");
        options.TimeoutSeconds.ShouldBe(5);
        options.MaxRetries.ShouldBe(2);
        options.PerPage.ShouldBe(5000);
        provider.GetRequiredService<KoladaClient>().ShouldNotBeNull();
    }

    [Fact]
    public void Wrong_settings_are_refused_with_a_swedish_sentence()
    {
        var services = new ServiceCollection();
        services.AddKolada(o => { o.BaseUrl = "api.kolada.se"; o.PerPage = 10000; });
        using var provider = services.BuildServiceProvider();

        var error = Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptions<KoladaOptions>>().Value);

        error.Failures.ShouldContain(f => f.Contains("BaseUrl måste vara en fullständig http- eller https-adress"));
        error.Failures.ShouldContain(f => f.Contains("PerPage måste vara mellan 1 och 5000"));
    }
}
