using System.Text.Encodings.Web;
using Kedja.Domain.InternalControl;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.InternalControl.Pages;

/// <summary>Results and measures as the pages show them: colour, symbol and words together, never colour alone (<see cref="ControlNames.Signal(ControlOutcome)"/>).</summary>
public static class ControlHtml
{
    public static IHtmlContent Outcome(ControlOutcome outcome, IStringLocalizer<Texts> text)
    {
        var (colour, symbol) = ControlNames.Signal(outcome);
        return Signal(colour, symbol, text["ControlPlan.Outcome." + outcome].Value);
    }

    public static IHtmlContent Measure(MeasureStatus status, IStringLocalizer<Texts> text)
    {
        var (colour, symbol) = ControlNames.Signal(status);
        return Signal(colour, symbol, text["ControlPlan.Measure." + status].Value);
    }

    private static HtmlString Signal(string colour, string symbol, string words)
    {
        var e = HtmlEncoder.Default;
        return new HtmlString(
            $"<span class=\"status\"><svg class=\"swatch\" width=\"14\" height=\"14\" aria-hidden=\"true\" focusable=\"false\"><circle cx=\"7\" cy=\"7\" r=\"6\" fill=\"{e.Encode(colour)}\" stroke=\"#1b1b1f\"/></svg>"
            + $"<span aria-hidden=\"true\">{e.Encode(symbol)}</span> {e.Encode(words)}</span>");
    }

    /// <summary>A day as the pages write it (ÅÅÅÅ-MM-DD, Swedish standard).</summary>
    public static string Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", Language.Formats) ?? "–";
}
