using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Budget;

/// <summary>How a deviation is said: its sign in tkr with the word for it, so neither the sign nor a colour carries it alone.</summary>
public static class BudgetWords
{
    /// <summary>"+350 tkr (överskott)", "-1 200 tkr (underskott)", "0 tkr (ingen avvikelse)"; "–" without a deviation.</summary>
    public static string Deviation(decimal? deviation, IStringLocalizer<Texts> text) => deviation is { } d
        ? $"{BudgetFigures.Signed(d)} {text["Budget.Tkr"]} ({Kind(d, text)})"
        : "–";

    public static string Kind(decimal deviation, IStringLocalizer<Texts> text) =>
        text[deviation > 0 ? "Budget.Surplus" : deviation < 0 ? "Budget.Deficit" : "Budget.NoDeviation"].Value;

    /// <summary>Who explained and when, as a Swedish clock shows it.</summary>
    public static string Explained(string? by, DateTime? at, IStringLocalizer<Texts> text) =>
        text["Budget.ExplainedBy", by ?? "–", at is { } when ? Language.InSweden(when).ToString("d MMMM yyyy HH:mm", Language.Formats) : "–"].Value;
}

public sealed record BudgetCardView(string Slug, BudgetCard Card, bool MayExplain);

/// <summary>
/// The unit's budget on its scorecard (issue 16): frame, outcome to date, forecast, deviation and its explanation, for
/// the scorecard's period; nothing for a unit without a frame that year. A section of its own, so the scorecard page
/// (owned elsewhere) needs one line for it.
/// </summary>
public sealed class BudgetCardSection(TenantContext tenant, Data.KedjaDbContext db, BudgetEditing budget) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid unitId, string periodKey)
    {
        var ct = HttpContext.RequestAborted;
        var card = await budget.CardAsync(unitId, periodKey, ct);
        if (card.Value is not { } found)
        {
            return Content("");
        }

        var mayExplain = found.OverBudget && tenant.Role >= TenantRole.Editor && await UnitScope.AllowsAsync(tenant, db, unitId, ct);
        return View("/Budget/Pages/_BudgetCard.cshtml", new BudgetCardView(tenant.Slug, found, mayExplain));
    }
}

public sealed record OverBudgetView(string Slug, List<BudgetCard> Units);

/// <summary>Administrators' start page: "Över budget utan förklaring", each unit linked to its budget page. One line on the start page.</summary>
public sealed class OverBudgetToDo(TenantContext tenant, BudgetEditing budget) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        var units = await budget.OverBudgetUnexplainedAsync(HttpContext.RequestAborted);
        return units.Count == 0 ? Content("") : View("/Budget/Pages/_OverBudget.cshtml", new OverBudgetView(tenant.Slug, units));
    }
}
