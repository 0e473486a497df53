using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("Kedja.Web.Tests.KedjaTestFramework", "Kedja.Web.Tests")]

namespace Kedja.Web.Tests;

/// <summary>
/// xunit's own test framework with one step added: when every test has run, and before the run is reported as
/// finished, the template databases go, with the test databases still being dropped. A handler at process exit
/// would do it too late: the test host is ended soon after the run finishes.
/// </summary>
public sealed class KedjaTestFramework : XunitTestFramework
{
    public KedjaTestFramework(IMessageSink messageSink)
        : base(messageSink)
    {
        // Dozens of hosts run in this one process, beside a browser driven over real sockets. The thread pool adds a
        // thread or two a second when its threads are busy, and twice a browser test waited a minute for a page at a
        // busy moment of the whole suite (never alone): start with enough threads for every host at once.
        ThreadPool.GetMinThreads(out var workers, out var completion);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(completion, 64));
    }

    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
        protected override async void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            using var runner = new Runner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await runner.RunAsync();
        }
    }

    private sealed class Runner(
        ITestAssembly testAssembly,
        IEnumerable<IXunitTestCase> testCases,
        IMessageSink diagnosticMessageSink,
        IMessageSink executionMessageSink,
        ITestFrameworkExecutionOptions executionOptions)
        : XunitTestAssemblyRunner(testAssembly, testCases, diagnosticMessageSink, executionMessageSink, executionOptions)
    {
        protected override async Task BeforeTestAssemblyFinishedAsync()
        {
            // A failure here is reported as the run's cleanup failure.
            await Aggregator.RunAsync(TestDatabase.DropTemplatesAsync);
            await base.BeforeTestAssemblyFinishedAsync();
        }
    }
}
