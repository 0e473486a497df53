using System.Text;

namespace Kedja.Reports.Tests;

public sealed class HtmlReportWriterTests
{
    private static string Write(ReportDocument report)
    {
        using var stream = new MemoryStream();
        new HtmlReportWriter().Write(report, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public void The_html_view_holds_every_section_heading_goal_status_and_figure_in_Swedish()
    {
        var html = Write(SampleReports.Tertial());

        html.ShouldStartWith("<!DOCTYPE html><html lang=\"sv\">");
        html.ShouldContain("<h1>Sammanfattning av måluppfyllelsen</h1>");
        html.ShouldContain("<h3>1.1 Fler elever når kunskapsmålen i grundskolan</h3>");
        html.ShouldContain("◐ Delvis uppfyllt");
        html.ShouldContain("– Ej bedömt");
        html.ShouldContain("<td class=\"num\">86,5&#xA0;%</td>");
        html.ShouldContain("<td class=\"num\">-4&#xA0;200</td>");
        html.ShouldContain("Ingår inte i måluppfyllelsen.");
        html.ShouldNotContain("<script");
    }

    [Fact]
    public void The_chart_is_drawn_with_its_numbers_as_a_table_beside_it()
    {
        var html = Write(SampleReports.Tertial());

        html.ShouldContain("<svg class=\"chart fulfilment\"");
        html.ShouldContain("<caption>Måluppfyllelse per perspektiv</caption>");
        html.ShouldContain("<th scope=\"col\">Perspektiv</th>");
    }

    [Fact]
    public void Text_from_the_tenant_is_encoded_and_a_colour_that_is_not_a_colour_is_left_out()
    {
        var report = SampleReports.Tertial() with { Subtitle = "<script>alert(1)</script>" };
        var evil = new ReportStatus("x", "Uppfyllt", "●", "red;background:url(https://evil.example)");
        report = report with
        {
            Sections = [new ReportSection("s", "Mål", [new ReportStatusLine("Status", evil, "<b>fet</b>")])],
        };

        var html = Write(report);

        html.ShouldNotContain("<script>alert");
        html.ShouldContain("&lt;script&gt;alert(1)&lt;/script&gt;");
        html.ShouldContain("&lt;b&gt;fet&lt;/b&gt;");
        html.ShouldNotContain("evil.example");
    }
}
