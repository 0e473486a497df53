using Kedja.Web.Imports;

namespace Kedja.Web.Tests.Imports;

public sealed class ImportColumnsTests
{
    [Theory]
    [InlineData("Enhet", "Enhet")]
    [InlineData("  ENHET ", "Enhet")]
    [InlineData("Unit", "Enhet")]
    [InlineData("Indikator", "Indikator")]
    [InlineData("indicator", "Indikator")]
    [InlineData("Indikator-id", "Indikator-id")]
    [InlineData("Indikator id", "Indikator-id")]
    [InlineData("IndikatorId", "Indikator-id")]
    [InlineData("indikator_id", "Indikator-id")]
    [InlineData("Indicator id", "Indikator-id")]
    [InlineData("Period", "Period")]
    [InlineData("Utfall", "Utfall")]
    [InlineData("Outcome", "Utfall")]
    [InlineData("Value", "Utfall")]
    [InlineData("Utfall kvinnor", "Utfall kvinnor")]
    [InlineData("utfall  Kvinnor", "Utfall kvinnor")]
    [InlineData("Kvinnor", "Utfall kvinnor")]
    [InlineData("Outcome women", "Utfall kvinnor")]
    [InlineData("Women", "Utfall kvinnor")]
    [InlineData("Utfall män", "Utfall män")]
    [InlineData("MÄN", "Utfall män")]
    [InlineData("Outcome men", "Utfall män")]
    [InlineData("Men", "Utfall män")]
    [InlineData("Målvärde", "Målvärde")]
    [InlineData("Mål", "Målvärde")]
    [InlineData("Target", "Målvärde")]
    [InlineData("Kommentar", "Kommentar")]
    [InlineData("Comment", "Kommentar")]
    [InlineData("Måttenhet", "Måttenhet")]
    [InlineData("Unit of measure", "Måttenhet")]
    [InlineData("Uppföljning", "Uppföljning")]
    [InlineData("Follow-up", "Uppföljning")]
    [InlineData("Ma\u030Attenhet", "Måttenhet")] // "å" as a and a combining ring, as a Mac may write it
    public void Known_headers_and_their_aliases_give_the_canonical_name(string header, string canonical) =>
        ImportColumns.Canonical(header).ShouldBe(canonical);

    [Theory]
    [InlineData("")]
    [InlineData("Id")]
    [InlineData("Belopp")]
    [InlineData("Enhet 2")]
    [InlineData(null)]
    public void Unknown_headers_give_nothing(string? header) =>
        ImportColumns.Canonical(header!).ShouldBeNull();

    [Fact]
    public void The_template_order_and_what_an_import_reads()
    {
        ImportColumns.Template.ShouldBe(["Enhet", "Indikator", "Indikator-id", "Period", "Utfall", "Utfall kvinnor", "Utfall män", "Målvärde", "Kommentar", "Måttenhet", "Uppföljning"]);
        ImportColumns.Imported.ShouldNotContain("Måttenhet");
        ImportColumns.Imported.ShouldNotContain("Uppföljning");
        ImportColumns.Template.Where(ImportColumns.IsInformational).ShouldBe(["Måttenhet", "Uppföljning"]);
        ImportColumns.Template.ShouldAllBe(c => ImportColumns.Canonical(c) == c);
    }
}
