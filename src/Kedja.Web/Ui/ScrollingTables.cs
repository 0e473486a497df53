using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Kedja.Web.Ui;

/// <summary>
/// Reflow at 320 px (WCAG 1.4.10): a table wider than a phone scrolls sideways inside a box of its own rather than the
/// whole page, and a box that scrolls must be reachable by keyboard (axe's scrollable-region-focusable). Every table of
/// a page is therefore put in a box that takes focus, unless the page already put it in a region of its own
/// (<see cref="ScrollRegionTagHelper"/>). A table named by a heading (aria-labelledby) makes the box a region of that
/// name; one without gets a plain box, since regions must differ by name and a page has many unnamed tables.
/// </summary>
[HtmlTargetElement("table")]
public sealed class ScrollingTableTagHelper : TagHelper
{
    internal static readonly object InsideRegion = new();

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        if (context.Items.ContainsKey(InsideRegion))
        {
            return;
        }

        var region = output.Attributes.TryGetAttribute("aria-labelledby", out var labelledBy) && Encoded(labelledBy.Value) is { Length: > 0 } ids
            ? $" role=\"region\" aria-labelledby=\"{ids}\""
            : "";
        output.PreElement.AppendHtml($"<div class=\"table-scroll\" tabindex=\"0\"{region}>");
        output.PostElement.AppendHtml("</div>");
    }

    /// <summary>The attribute's value as HTML: a literal is encoded here, an expression's content was by Razor.</summary>
    private static string Encoded(object? value)
    {
        if (value is IHtmlContent html)
        {
            using var writer = new StringWriter();
            html.WriteTo(writer, HtmlEncoder.Default);
            return writer.ToString();
        }

        return HtmlEncoder.Default.Encode(value?.ToString() ?? "");
    }
}

/// <summary>Marks an element the page made a scrolling region of its own, so that the tables inside it get no second one.</summary>
[HtmlTargetElement("*", Attributes = "[role=region]")]
public sealed class ScrollRegionTagHelper : TagHelper
{
    public override void Init(TagHelperContext context) => context.Items[ScrollingTableTagHelper.InsideRegion] = true;
}
