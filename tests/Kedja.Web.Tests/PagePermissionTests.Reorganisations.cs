namespace Kedja.Web.Tests;

public partial class PagePermissionTests
{
    /// <summary>Reorganisations (issue 16): checked by Organisation/ReorganisationTests (administrators only, readers 403, strangers to sign in).</summary>
    private static readonly string[] ReorganisationRoutes =
        ["/k/{slug}/organisation/omorganisationer", "/k/{slug}/organisation/omorganisationer/ny", "/k/{slug}/organisation/omorganisationer/{reorganisationId:guid}"];
}
