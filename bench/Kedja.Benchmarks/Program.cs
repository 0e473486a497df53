using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Kedja.Benchmarks.EngineBenchmarks).Assembly).Run(args);
