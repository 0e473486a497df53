using Kedja.Data;
using Kedja.Domain.Budget;

namespace Kedja.Web.Budget;

/// <summary>
/// The budget frames that are decided: every frame but the drafts of a planned year (ADR 47 §3), which only the
/// planning of the year shows and writes. Every reader and editor of frames starts here, so no list, card, report or
/// start page shows a draft as a budget, and no live editor changes one.
/// </summary>
public static class RealFrames
{
    /// <summary>The frames that are not drafts.</summary>
    public static IQueryable<BudgetFrame> Real(this IQueryable<BudgetFrame> frames) => frames.Where(f => !f.IsDraft);

    /// <summary>The tenant's frames that are not drafts.</summary>
    public static IQueryable<BudgetFrame> RealBudgetFrames(this KedjaDbContext db) => db.BudgetFrames.Real();

    /// <summary>Why a frame of the planned year cannot be changed here: it is a draft of the planning.</summary>
    public static string DraftFrame(int year) => $"Budgetramen för {year} är ett utkast i planeringen av {year}. Ändra den i planeringen, eller aktivera året först.";
}
