namespace Kedja.Operations.Tests;

/// <summary>
/// A test with real processes (issue 18): skipped, with the reason, unless KEDJA_TEST_OPERATIONS=1 (it needs the
/// Release build of Kedja.Web, and some tests PostgreSQL through KEDJA_TEST_POSTGRES or root for a tmpfs).
/// </summary>
public sealed class OperationsFactAttribute : FactAttribute
{
    public OperationsFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("KEDJA_TEST_OPERATIONS") != "1")
        {
            Skip = "The upgrade and fault tests need KEDJA_TEST_OPERATIONS=1 and `dotnet build -c Release` (docs/adr/0052-upgrades-and-faults.md).";
        }
    }
}
