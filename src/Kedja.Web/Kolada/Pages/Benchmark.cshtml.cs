using System.Globalization;
using Kedja.Domain.Indicators;
using Kedja.Domain.Tenancy;
using Kedja.Web.Indicators;
using Kedja.Web.Infrastructure;
using Kedja.Web.Ui;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Kedja.Web.Kolada.Pages;

/// <summary>
/// An indicator's Kolada key figure beside a comparison group or chosen municipalities (<see cref="KoladaBenchmarking"/>):
/// chart, table, statistics and target suggestions. Every member reads it; the buttons that take a suggestion as target
/// are shown to, and taken from, those who may change the indicator. The choice of comparison is a plain GET form.
/// </summary>
[RequireTenant(TenantRole.Reader)]
public sealed class BenchmarkModel(TenantContext tenant, KoladaBenchmarking benchmarking, IndicatorEditing indicators, IStringLocalizer<Texts> text) : PageModel
{
    public TenantContext Tenant => tenant;

    public VersionedIndicator? Indicator { get; private set; }

    public Benchmark? Result { get; private set; }

    public BenchmarkChoices? Choices { get; private set; }

    public bool CanAccept { get; private set; }

    /// <summary>Said at the top: why the page shows nothing, or why a suggestion was not taken.</summary>
    public string? Error { get; private set; }

    public string? Saved { get; private set; }

    public Dictionary<string, string> FieldErrors { get; } = new(StringComparer.OrdinalIgnoreCase);

    [BindProperty(SupportsGet = true, Name = "grupp")]
    public string? Group { get; set; }

    /// <summary>Kommunkoder and names as typed, comma-separated.</summary>
    [BindProperty(SupportsGet = true, Name = "kommuner")]
    public string? Typed { get; set; }

    /// <summary>Municipalities chosen in the list.</summary>
    [BindProperty(SupportsGet = true, Name = "kommun")]
    public List<string> Picked { get; set; } = [];

    [BindProperty(SupportsGet = true, Name = "ar")]
    public string? Years { get; set; }

    [BindProperty(SupportsGet = true, Name = "malar")]
    public string? TargetYear { get; set; }

    /// <summary>Words to find a comparison group by.</summary>
    [BindProperty(SupportsGet = true, Name = "sok")]
    public string? GroupFilter { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid indicatorId, [FromQuery(Name = "sparat")] int? saved)
    {
        await LoadAsync(indicatorId);
        if (saved is { } year && Result is { CurrentTarget: { } target } && Result.TargetYear == year)
        {
            Saved = text["Benchmark.Saved", year, Domain.SwedishFormat.Number(target, Result.Decimals)];
        }

        return Page();
    }

    /// <summary>Takes a suggestion as the indicator's target for the year, with the version the page was shown with.</summary>
    public async Task<IActionResult> OnPostAcceptAsync(
        Guid indicatorId, [FromForm(Name = "year")] int year, [FromForm(Name = "value")] string? value, [FromForm(Name = "kind")] SuggestionKind kind,
        [FromForm(Name = "fromYear")] int fromYear, [FromForm(Name = "version")] int? version)
    {
        var (number, bad) = Domain.SwedishFormat.Read(value);
        if (bad || number is null)
        {
            return await RefuseAsync(indicatorId, StatusCodes.Status400BadRequest, text["Benchmark.NotANumber"]);
        }

        var result = await benchmarking.AcceptAsync(indicatorId, year, number.Value, kind, fromYear, version, HttpContext.RequestAborted);
        if (result.Error is { } error)
        {
            return await RefuseAsync(indicatorId, error.StatusCode, error.Kind == ServiceErrorKind.Conflict ? text["Benchmark.Conflict"] : error.Message);
        }

        TargetYear = year.ToString(CultureInfo.InvariantCulture);
        return LocalRedirect(Address(indicatorId, ("sparat", TargetYear)));
    }

    /// <summary>The page's address with the comparison as chosen, and more query values.</summary>
    public string Address(Guid indicatorId, params (string Name, string? Value)[] more)
    {
        var values = new List<(string, string?)> { ("grupp", Group), ("kommuner", Typed), ("ar", Years), ("malar", TargetYear), ("sok", GroupFilter) };
        values.AddRange(Picked.Select(p => ("kommun", (string?)p)));
        values.AddRange(more);
        var query = string.Join("&", values.Where(v => !string.IsNullOrWhiteSpace(v.Item2)).Select(v => $"{v.Item1}={Uri.EscapeDataString(v.Item2!)}"));
        return $"/k/{tenant.Slug}/indikator/{indicatorId}/jamforelse{(query.Length > 0 ? "?" + query : "")}";
    }

    private async Task<IActionResult> RefuseAsync(Guid indicatorId, int status, string message)
    {
        await LoadAsync(indicatorId);
        Response.StatusCode = status;
        Error = message;
        return Page();
    }

    private async Task LoadAsync(Guid indicatorId)
    {
        var ct = HttpContext.RequestAborted;
        var read = await indicators.GetAsync(indicatorId, ct);
        if (read.Value is not { } indicator)
        {
            Error = read.Error!.Message;
            Response.StatusCode = read.Error.StatusCode;
            return;
        }

        Indicator = indicator;
        if (indicator.KoladaKpiId is not { Length: > 0 })
        {
            return;
        }

        CanAccept = indicator.Direction is Direction.HigherIsBetter or Direction.LowerIsBetter && await indicators.MayEditAsync([indicator.OwnerUnitId], ct);
        var years = Whole(Years, "years");
        var targetYear = Whole(TargetYear, "targetYear");
        if (FieldErrors.Count > 0)
        {
            return;
        }

        Choices = await benchmarking.ChoicesAsync(indicatorId, GroupFilter, cancellationToken: ct);
        var result = await benchmarking.CompareAsync(indicatorId, new BenchmarkQuery(Group, [.. Picked, .. Typed is null ? Array.Empty<string>() : [Typed]], years, targetYear), ct);
        if (result.Error is { } error)
        {
            Response.StatusCode = error.StatusCode;
            Html.CopyFieldErrors(error, FieldErrors);
            if (error.Field is not ("group" or "municipalities" or "years" or "targetYear"))
            {
                Error = error.Message;
            }

            return;
        }

        Result = result.Value;
    }

    private int? Whole(string? typed, string field)
    {
        if (string.IsNullOrWhiteSpace(typed))
        {
            return null;
        }

        if (int.TryParse(typed.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        FieldErrors[field] = text["Benchmark.Whole"];
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return null;
    }

    /// <summary>A figure as the page writes it: Swedish, with the decimals it has (up to two), "–" for none.</summary>
    public static string Figure(decimal? value) => FollowUp.Pages.ScorecardModel.Figure(value);

    /// <summary>The latest year with values, as a chart of the municipalities in the table's order, and what it says in words.</summary>
    public (Domain.Charts.BenchmarkChart Chart, string Description)? Chart()
    {
        if (Result is not { } r || r.Statistics.LastOrDefault(s => s.Count > 0 || s.Own is not null) is not { } latest)
        {
            return null;
        }

        var at = r.Years.ToList().IndexOf(latest.Year);
        var bars = r.Rows.Select(row => new Domain.Charts.BenchmarkBar(row.IsOwn ? text["Benchmark.Own", row.Title] : row.Title, row.Values[at], row.IsOwn)).ToList();
        var said = new List<string> { text["Benchmark.ChartCount", latest.Count, latest.Year] };
        if (latest.Own is { } own)
        {
            said.Add(text["Benchmark.ChartOwn", r.OwnMunicipalityTitle, Figure(own)]);
        }

        if (latest.OwnRank is { } rank)
        {
            said.Add(text["Benchmark.ChartRank", rank, latest.RankedOf!]);
        }

        if (latest.Count > 0)
        {
            said.Add(text["Benchmark.ChartSpread", Figure(latest.Median), Figure(latest.LowerQuartile), Figure(latest.UpperQuartile)]);
        }

        return (new(text["Benchmark.ChartTitle", r.KpiTitle, latest.Year], bars, latest.LowerQuartile, latest.Median, latest.UpperQuartile), string.Join(" ", said));
    }
}
