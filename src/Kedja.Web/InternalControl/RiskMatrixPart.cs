using Kedja.Domain.Charts;

namespace Kedja.Web.InternalControl;

/// <summary>
/// What <c>_RiskMatrix.cshtml</c> draws: the matrix, the year it is for (a risk assessed earlier says its year), the id of
/// the table's caption, and where each risk's title links (none in the portal).
/// </summary>
public sealed record RiskMatrixPart(RiskMatrix Matrix, int Year, string Id = "riskmatris", Func<Guid, string>? Link = null);
