using FsCheck;
using FsCheck.Fluent;

namespace Kedja.Web.Tests.Fuzz;

/// <summary>The fuzzers' gate in CI draws the same inputs every run (KEDJA_FUZZ_RUN); a developer's run draws afresh.</summary>
public sealed class FuzzingTests
{
    private static List<int> SeedsDrawn(ulong? run)
    {
        var seeds = new List<int>();
        Prop.ForAll(Arb.From(Gen.Choose(0, int.MaxValue - 1)), seed =>
        {
            seeds.Add(seed);
            return true;
        }).Check(Fuzzing.Draw(Config.QuickThrowOnFailure.WithMaxTest(50).WithQuietOnSuccess(true), run));
        return seeds;
    }

    [Fact]
    public void A_fixed_run_draws_the_same_seeds_every_time_and_another_run_or_no_run_draws_others()
    {
        var first = SeedsDrawn(20261202);
        first.Count.ShouldBe(50);
        SeedsDrawn(20261202).ShouldBe(first);
        SeedsDrawn(20261203).ShouldNotBe(first);
        SeedsDrawn(null).ShouldNotBe(first);
    }
}
