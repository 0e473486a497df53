using BenchmarkDotNet.Running;

// "imports <sqlite|postgres> <connection string>": issue 11's import target, timed plainly (seconds, not nanoseconds).
if (args is ["imports", var provider, var connection])
{
    return await Kedja.Benchmarks.ImportBenchmark.RunAsync(provider, connection);
}

// "finance <sqlite|postgres> <connection string>": issue 16's finance import target (SIE, 1,000,000 transaction rows).
if (args is ["finance", var financeProvider, var financeConnection])
{
    return await Kedja.Benchmarks.FinanceBenchmark.RunAsync(financeProvider, financeConnection);
}

// "planning <sqlite|postgres> <connection string> [size] [reuse]": issue 16's target, opening next year's planning (size L
// by default; "reuse" takes the tenant an earlier run generated).
if (args is ["planning", var planningProvider, var planningConnection, .. var rest])
{
    return await Kedja.Benchmarks.PlanningBenchmark.RunAsync(planningProvider, planningConnection, rest.Length > 0 ? rest[0] : "L", rest is [_, "reuse"]);
}

BenchmarkSwitcher.FromAssembly(typeof(Kedja.Benchmarks.EngineBenchmarks).Assembly).Run(args);
return 0;
