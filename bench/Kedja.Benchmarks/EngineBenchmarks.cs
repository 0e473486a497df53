using BenchmarkDotNet.Attributes;
using Kedja.Domain.FollowUp;
using Kedja.Domain.Indicators;
using Kedja.Domain.Periods;

namespace Kedja.Benchmarks;

/// <summary>
/// The follow-up engine on a tenant of the sizes the generate verb makes (S, M, L): every goal status for one
/// tertial, computed bottom-up with explanations. Run: dotnet run -c Release --project bench/Kedja.Benchmarks -- --filter '*'
/// </summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    private EngineInput input = null!;
    private PeriodRef period;

    [Params(500, 5_000, 25_000)]
    public int Goals { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        period = PeriodRef.Parse("2026-T2");
        var random = new Random(Goals);
        var levels = new[] { Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() };
        var goals = new List<GoalFacts>(Goals);
        var links = new List<GoalLinkFacts>(Goals);
        var kf = Enumerable.Range(0, 12).Select(i => new GoalFacts(Guid.NewGuid(), $"KF {i}", levels[0])).ToList();
        goals.AddRange(kf);
        var committee = Enumerable.Range(0, Goals / 125).Select(i => new GoalFacts(Guid.NewGuid(), $"Nämnd {i}", levels[1])).ToList();
        goals.AddRange(committee);
        links.AddRange(committee.Select(c => new GoalLinkFacts(kf[random.Next(kf.Count)].Id, c.Id)));
        while (goals.Count < Goals)
        {
            var g = new GoalFacts(Guid.NewGuid(), $"Mål {goals.Count}", levels[2]);
            goals.Add(g);
            links.Add(new GoalLinkFacts(committee[random.Next(committee.Count)].Id, g.Id));
        }

        var tertials = Enumerable.Range(2017, 10).SelectMany(y => PeriodRef.CalendarFor(FollowUpCadence.Tertial, y)).ToList();
        var indicators = Enumerable.Range(0, Goals * 2).Select(i => new IndicatorFacts(
            Guid.NewGuid(), $"Indikator {i}", i % 3 == 0 ? Direction.LowerIsBetter : Direction.HigherIsBetter, PeriodKind.Tertial,
            tertials.ToDictionary(t => t.Key, _ => (decimal?)Math.Round(80m * (decimal)(0.75 + (random.NextDouble() * 0.4)), 1)),
            Enumerable.Range(2017, 10).ToDictionary(y => y.ToString(System.Globalization.CultureInfo.InvariantCulture), _ => new TargetFacts(80m)),
            "%", 1, null, 1m, goals[i % goals.Count].Id)).ToList();
        input = new EngineInput(FulfilmentScale.Standard, ThresholdRule.Standard,
            [.. levels.Select(l => new LevelFacts(l, "Nivå", RollupRule.StandardShare))], goals, links, indicators);
    }

    [Benchmark]
    public int ComputeAllGoalsForOnePeriod() => GoalEngine.Compute(input, period.Start, period.End).Goals.Count;
}
