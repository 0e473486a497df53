using Kedja.Load;

namespace Kedja.Web.Tests;

/// <summary>The load script (bench/Kedja.Load) sends its traffic to this machine only.</summary>
public class LoadTargetTests
{
    [Theory]
    [InlineData("http://10.0.0.5:5080")]
    [InlineData("http://192.168.1.10:5491")]
    [InlineData("https://8.8.8.8")]
    [InlineData("http://[::ffff:10.0.0.1]:5491")]
    [InlineData("http://kedja.kommun.se")]
    [InlineData("http://localhost:5491")]
    [InlineData("http://127.0.0.1.nip.io:5491")]
    [InlineData("http://user@127.0.0.1:5491")]
    [InlineData("http://127.0.0.1:5491/api")]
    [InlineData("ftp://127.0.0.1")]
    [InlineData("127.0.0.1:5491")]
    public void The_load_script_refuses_any_address_that_is_not_a_loopback_address(string url)
    {
        var (uri, error) = LoadTarget.Parse(url);

        uri.ShouldBeNull();
        error.ShouldNotBeNullOrWhiteSpace();
    }

    [Theory]
    [InlineData("http://127.0.0.1:5491", "http://127.0.0.1:5491/")]
    [InlineData("http://127.0.0.1:5491/", "http://127.0.0.1:5491/")]
    [InlineData("http://[::1]:5492", "http://[::1]:5492/")]
    public void The_load_script_accepts_a_loopback_address(string url, string expected)
    {
        var (uri, error) = LoadTarget.Parse(url);

        error.ShouldBeNull();
        uri!.ToString().ShouldBe(expected);
    }
}
