using BenchmarkDotNet.Running;

// "imports <sqlite|postgres> <connection string>": issue 11's import target, timed plainly (seconds, not nanoseconds).
if (args is ["imports", var provider, var connection])
{
    return await Kedja.Benchmarks.ImportBenchmark.RunAsync(provider, connection);
}

BenchmarkSwitcher.FromAssembly(typeof(Kedja.Benchmarks.EngineBenchmarks).Assembly).Run(args);
return 0;
