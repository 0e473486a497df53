using Kedja.Data;
using Kedja.Domain;
using Kedja.Domain.Finance;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Imports.Finance;

/// <summary>
/// The tenant's mapping of its finance system as GET gives it and PUT takes it back: the SIE dimension of the cost
/// centre, the result accounts, cost centre codes (or ranges) to units and account ranges to budget lines. Version is
/// null until the mapping is first saved; until then the accounts are a proposal after Kommun-Bas.
/// </summary>
public sealed record FinanceMappingDto(int Dimension, int ResultFrom, int ResultTo, List<FinanceUnitRange> Units, List<FinanceAccountRange> Accounts, int? Version);

/// <summary>
/// Reads and sets the mapping (administrators only: it decides where a controller's figures land). Every rule broken
/// is said at once: a dimension 1–9999, result accounts in order, each code range naming an existing unit and not
/// overlapping another, each account range inside the result accounts, named, and not overlapping another.
/// </summary>
public sealed class FinanceMappings(KedjaDbContext db, TenantContext tenant)
{
    public const string AdminsOnly = "Bara administratörer får se och ändra kopplingen till ekonomisystemet.";

    /// <summary>Kommun-Bas: class 3 revenue, 4 personnel, 5–7 other costs, 8 financial items.</summary>
    public static readonly List<FinanceAccountRange> ProposedAccounts =
    [
        new(3000, 3999, "Intäkter"), new(4000, 4999, "Personalkostnader"), new(5000, 7999, "Övriga kostnader"), new(8000, 8999, "Finansiella poster"),
    ];

    public bool Allowed => tenant.IsSystemAdmin || tenant.Role >= TenantRole.Admin;

    public async Task<ServiceResult<FinanceMappingDto>> GetAsync(CancellationToken cancellationToken = default)
    {
        if (!Allowed)
        {
            return ServiceError.Forbidden(AdminsOnly);
        }

        var saved = await db.FinanceMappings.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        return saved is null ? new FinanceMappingDto(1, 3000, 8999, [], [.. ProposedAccounts], null) : Dto(saved);
    }

    /// <summary>The saved mapping as the import reads it; null when there is none.</summary>
    public Task<FinanceMapping?> SavedAsync(CancellationToken cancellationToken = default) => db.FinanceMappings.AsNoTracking().SingleOrDefaultAsync(cancellationToken);

    public async Task<ServiceResult<FinanceMappingDto>> SetAsync(FinanceMappingDto input, ValidationErrors? unreadable = null, CancellationToken cancellationToken = default)
    {
        if (!Allowed)
        {
            return ServiceError.Forbidden(AdminsOnly);
        }

        var errors = new ValidationErrors(unreadable);
        var known = (await db.Units.AsNoTracking().Select(u => u.Id).ToListAsync(cancellationToken)).ToHashSet();
        var (units, accounts) = Check(errors, "", input, known.Contains);
        if (errors.Count > 0)
        {
            return ServiceError.Invalid(errors);
        }

        var mapping = await db.FinanceMappings.SingleOrDefaultAsync(cancellationToken);
        if (mapping is null)
        {
            if (input.Version is not null)
            {
                return ServiceError.Conflict();
            }

            db.FinanceMappings.Add(mapping = new FinanceMapping { TenantId = tenant.TenantId });
        }
        else if (input.Version is null)
        {
            return ServiceError.Invalid("version", "Kopplingen finns redan. " + ServiceError.VersionToChange);
        }
        else
        {
            db.ExpectVersion(mapping, input.Version.Value);
        }

        (mapping.Dimension, mapping.ResultFrom, mapping.ResultTo, mapping.Units, mapping.Accounts) = (input.Dimension, input.ResultFrom, input.ResultTo, units, accounts);
        return await db.TrySaveAsync() ? Dto(mapping) : ServiceError.Conflict();
    }

    /// <summary>
    /// The mapping's rules, for <see cref="SetAsync"/> and the tenant document alike, with errors under <paramref name="path"/>
    /// ("" for a request body); gives the ranges as they are stored (codes and line names trimmed).
    /// </summary>
    public static (List<FinanceUnitRange> Units, List<FinanceAccountRange> Accounts) Check(ValidationErrors errors, string path, FinanceMappingDto input, Func<Guid, bool> unitExists)
    {
        var units = (input.Units ?? []).Select(u => u with { From = (u.From ?? "").Trim(), To = string.IsNullOrWhiteSpace(u.To) ? null : u.To.Trim() }).ToList();
        var accounts = (input.Accounts ?? []).Select(a => a with { Line = (a.Line ?? "").Trim() }).ToList();
        if (input.Dimension is < 1 or > 9999)
        {
            errors.Add(ValidationErrors.Join(path, "dimension"), "Dimensionen ska vara ett nummer från 1 till 9999 (1 är kostnadsställe i SIE).");
        }

        if (input.ResultFrom < 1 || input.ResultTo < input.ResultFrom || input.ResultTo > 99_999_999)
        {
            errors.Add(ValidationErrors.Join(path, "resultFrom"), "Resultatkontona ska vara ett intervall av kontonummer, det första inte större än det sista.");
        }

        for (var i = 0; i < units.Count; i++)
        {
            var u = units[i];
            var at = ValidationErrors.Join(path, $"units[{i}]");
            if (u.From.Length == 0)
            {
                errors.Add($"{at}.from", "Ange ansvarskoden (eller den första koden i ett intervall).");
            }
            else if (u.From.Length > 100 || u.To?.Length > 100)
            {
                errors.Add($"{at}.from", "En ansvarskod får vara högst 100 tecken.");
            }
            else if (u.To is not null && CodeOrder.Compare(u.From, u.To) > 0)
            {
                errors.Add($"{at}.to", $"Intervallet {u.From}–{u.To} går baklänges.");
            }
            else if (units.Take(i).FirstOrDefault(o => o.From.Length > 0 && Overlaps(o, u)) is { } other)
            {
                errors.Add($"{at}.from", $"Ansvar {Range(u)} överlappar ansvar {Range(other)}; en kod får höra till en enhet.");
            }

            if (!unitExists(u.UnitId))
            {
                errors.Add($"{at}.unitId", $"Enheten för ansvar {Range(u)} finns inte.");
            }
        }

        if (accounts.Count == 0)
        {
            errors.Add(ValidationErrors.Join(path, "accounts"), "Ange minst en budgetrad med sina konton.");
        }

        for (var i = 0; i < accounts.Count; i++)
        {
            var a = accounts[i];
            var at = ValidationErrors.Join(path, $"accounts[{i}]");
            errors.Required($"{at}.line", a.Line, "Budgetradens namn", 100);
            if (a.From > a.To)
            {
                errors.Add($"{at}.from", $"Kontona {a.From}–{a.To} går baklänges.");
            }
            else if (a.From < input.ResultFrom || a.To > input.ResultTo)
            {
                errors.Add($"{at}.from", $"Kontona {a.From}–{a.To} ligger utanför resultatkontona {input.ResultFrom}–{input.ResultTo}.");
            }
            else if (accounts.Take(i).FirstOrDefault(o => o.From <= a.To && a.From <= o.To) is { } other)
            {
                errors.Add($"{at}.from", $"Kontona {a.From}–{a.To} överlappar {other.From}–{other.To} ({other.Line}); ett konto får höra till en budgetrad.");
            }
        }

        return (units, accounts);
    }

    private static bool Overlaps(FinanceUnitRange a, FinanceUnitRange b) =>
        CodeOrder.Compare(a.From, b.To ?? b.From) <= 0 && CodeOrder.Compare(b.From, a.To ?? a.From) <= 0;

    public static string Range(FinanceUnitRange u) => u.To is null ? u.From : $"{u.From}–{u.To}";

    private static FinanceMappingDto Dto(FinanceMapping m) => new(m.Dimension, m.ResultFrom, m.ResultTo, [.. m.Units], [.. m.Accounts], m.Version);
}

/// <summary>The order of cost centre codes: numerically when both are whole numbers ("9" before "10"), else ordinally.</summary>
public static class CodeOrder
{
    public static int Compare(string a, string b) =>
        long.TryParse(a, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var x)
        && long.TryParse(b, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var y)
            ? x.CompareTo(y) : string.CompareOrdinal(a, b);

    /// <summary>The unit a code belongs to by the mapping, or null.</summary>
    public static Guid? UnitOf(IReadOnlyList<FinanceUnitRange> units, string code)
    {
        foreach (var u in units)
        {
            if (Compare(code, u.From) >= 0 && Compare(code, u.To ?? u.From) <= 0)
            {
                return u.UnitId;
            }
        }

        return null;
    }
}
