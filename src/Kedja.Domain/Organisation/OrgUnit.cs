namespace Kedja.Domain.Organisation;

public enum UnitKind
{
    Council,
    ExecutiveBoard,
    Committee,
    Administration,
    Division,
    Unit,
    Company,
}

/// <summary>A node in the municipality's organisation tree (fullmäktige, nämnd, förvaltning, enhet, bolag ...).</summary>
public class OrgUnit : TenantEntity
{
    public Guid? ParentId { get; set; }

    public required string Name { get; set; }

    public string? ShortName { get; set; }

    public UnitKind Kind { get; set; }

    /// <summary>The municipality's own code for the unit (ansvar, Kolada OU id ...).</summary>
    public string? Code { get; set; }

    public int SortOrder { get; set; }

    public bool IsActive { get; set; } = true;
}

/// <summary>A förvaltning serves one or more nämnder.</summary>
public class UnitService : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid AdministrationId { get; set; }

    public Guid CommitteeId { get; set; }
}

public static class UnitKindNames
{
    public static string Swedish(UnitKind kind) => kind switch
    {
        UnitKind.Council => "Kommunfullmäktige",
        UnitKind.ExecutiveBoard => "Kommunstyrelse",
        UnitKind.Committee => "Nämnd",
        UnitKind.Administration => "Förvaltning",
        UnitKind.Division => "Avdelning",
        UnitKind.Unit => "Enhet",
        UnitKind.Company => "Bolag",
        _ => kind.ToString(),
    };

    public static string English(UnitKind kind) => kind switch
    {
        UnitKind.Council => "Municipal council",
        UnitKind.ExecutiveBoard => "Executive board",
        UnitKind.Committee => "Committee",
        UnitKind.Administration => "Administration",
        UnitKind.Division => "Division",
        UnitKind.Unit => "Unit",
        UnitKind.Company => "Company",
        _ => kind.ToString(),
    };
}
