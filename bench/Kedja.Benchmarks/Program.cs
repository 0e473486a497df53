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

BenchmarkSwitcher.FromAssembly(typeof(Kedja.Benchmarks.EngineBenchmarks).Assembly).Run(args);
return 0;
