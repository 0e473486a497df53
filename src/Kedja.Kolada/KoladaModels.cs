namespace Kedja.Kolada;

/// <summary>A key figure's metadata. <see cref="PublPeriod"/> is the latest period Kolada has published.</summary>
public sealed record KoladaKpi(
    string Id,
    string Title,
    string? Description,
    bool IsDividedByGender,
    string? MunicipalityType,
    string? OperatingArea,
    string? Perspective,
    DateOnly? PublicationDate,
    string? PublPeriod,
    bool HasOuData,
    bool IsDeleted,
    string? Auspice = null);

/// <summary>A municipality (type K), a region (type L) or the whole country ("0000", Riket).</summary>
public sealed record KoladaMunicipality(string Id, string Title, string Type);

/// <summary>A comparison group of municipalities (ids starting with G).</summary>
public sealed record KoladaGroup(string Id, string Title, IReadOnlyList<KoladaGroupMember> Members);

public sealed record KoladaGroupMember(string Id, string Title);

/// <summary>An organisational unit such as a school or care home, in a municipality.</summary>
public sealed record KoladaOu(string Id, string Title, string MunicipalityId);

/// <summary>
/// One value of a key figure for a municipality or organisational unit (<see cref="Entity"/>), a year and a gender:
/// T total, K women, M men. <see cref="Value"/> is null where Kolada has the row but no figure; <see cref="Count"/>
/// is above 1 only for group averages.
/// </summary>
public sealed record KoladaValue(string Kpi, string Entity, int Year, string Gender, decimal? Value, int Count, string? Status);
