namespace Kedja.Web.Tests;

public partial class PagePermissionTests
{
    /// <summary>The risk register and scale (issue 15): checked by InternalControl/RiskPagesTests (who reads, who posts, strangers).</summary>
    private static readonly string[] RiskRoutes =
        ["/k/{slug}/intern-kontroll/skala", "/k/{slug}/intern-kontroll/risker", "/k/{slug}/intern-kontroll/risker/ny", "/k/{slug}/intern-kontroll/risker/{riskId:guid}"];
}
