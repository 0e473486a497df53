using System.ComponentModel;
using System.Text.Json.Serialization;
using Kedja.Domain.Indicators;
using Kedja.Domain.Organisation;

namespace Kedja.Web.Portal.OpenData;

// The open data file (docs/open-data.md, ADR 42). Its JSON Schema is generated from these records
// (OpenDataSchema, docs/schema/kedja-open-data.v1.schema.json): a change here is a change of the published format.

[Description("En kommuns publicerade mål, indikatorer och utfall: en uppföljningsperiod eller alla publicerade.")]
public sealed record OpenDataDocument(
    [property: JsonPropertyName("$schema"), Description("Adressen till filens JSON Schema.")] string Schema,
    [property: Description("Kommunen som har publicerat uppgifterna.")] OpenDataTenant Tenant,
    [property: Description("Vad du får göra med uppgifterna.")] OpenDataLicenceInfo Licence,
    [property: Description("De publicerade uppföljningsperioder som filen innehåller, äldst först.")] List<OpenDataPeriod> Periods,
    [property: Description("Kommunens organisation: nämnder, förvaltningar och enheter som äger mål och indikatorer.")] List<OpenDataUnit> Units,
    [property: Description("Målen och hur de hänger ihop (den röda tråden), med status för varje period.")] List<OpenDataGoal> Goals,
    [property: Description("Indikatorerna som mäter målen, programmen och grunduppdraget.")] List<OpenDataIndicator> Indicators,
    [property: Description("Utfallen: ett per indikator och period som har ett värde.")] List<OpenDataOutcome> Outcomes);

public sealed record OpenDataTenant(
    [property: Description("Kommunens namn i adresserna, t.ex. exempelkommun.")] string Slug,
    [property: Description("Kommunens namn.")] string Name,
    [property: Description("Kommunkoden (fyra siffror), om kommunen har angett den.")] string? Kommunkod);

public sealed record OpenDataLicenceInfo(
    [property: Description("Licensens namn: CC0 1.0 eller CC BY 4.0.")] string Name,
    [property: Description("Licensens adress hos Creative Commons.")] string Uri,
    [property: Description("Källan att ange när du använder uppgifterna (CC BY 4.0); null när licensen inte kräver det.")] string? Attribution);

public sealed record OpenDataPeriod(
    [property: Description("Periodens nyckel, t.ex. 2026-T1 eller 2025.")] string Key,
    [property: Description("Periodens namn, t.ex. T1 2026.")] string Name,
    [property: Description("Första dagen i perioden.")] DateOnly StartDate,
    [property: Description("Sista dagen i perioden.")] DateOnly EndDate,
    [property: Description("När kommunen publicerade perioden (UTC).")] DateTime? PublishedAt);

public sealed record OpenDataUnit(
    Guid Id,
    [property: Description("Enheten som denna hör till; null för den högsta nivån (kommunfullmäktige).")] Guid? ParentId,
    string Name,
    [property: Description("Slags enhet.")] UnitKind Kind,
    [property: Description("Slags enhet med svenskt namn, t.ex. nämnd.")] string KindName);

public sealed record OpenDataGoal(
    Guid Id,
    [property: Description("Målets kod eller nummer, om det har någon.")] string? Code,
    string Title,
    string? Description,
    [property: Description("Nivån i styrmodellen.")] Guid LevelId,
    [property: Description("Nivåns namn, t.ex. Kommunfullmäktiges mål.")] string Level,
    [property: Description("Perspektivet eller målområdet; null om målet inte har något.")] Guid? PerspectiveId,
    string? Perspective,
    [property: Description("Enheten som äger målet.")] Guid OwnerUnitId,
    [property: Description("Målen högre upp som detta mål bidrar till.")] List<Guid> ContributesTo,
    [property: Description("Första året målet gäller; null om det gäller från början.")] int? ValidFromYear,
    [property: Description("Sista året målet gäller; null om det gäller tills vidare.")] int? ValidToYear,
    [property: Description("Målets status i varje publicerad period som filen innehåller.")] List<OpenDataGoalStatus> Statuses);

public sealed record OpenDataGoalStatus(
    [property: Description("Periodens nyckel.")] string Period,
    [property: Description("Statusens nyckel i kommunens skala, t.ex. uppfyllt.")] string Status,
    [property: Description("Statusens namn, t.ex. Uppfyllt.")] string Label);

public sealed record OpenDataIndicator(
    Guid Id,
    string Name,
    string? Description,
    [property: Description("Enheten som värdena anges i, t.ex. % eller antal.")] string UnitOfMeasure,
    [property: Description("Hur många decimaler kommunen visar.")] int Decimals,
    [property: Description("Vad som är bra: högre värde, lägre värde, inom målvärdets intervall, eller bara följs.")] Direction Direction,
    [property: Description("Målet som indikatorn mäter; null för program och grunduppdrag.")] Guid? GoalId,
    [property: Description("Enheten som äger indikatorn.")] Guid OwnerUnitId,
    [property: Description("Sant när indikatorn mäter grunduppdraget, inte ett mål.")] bool IsBasicMission,
    [property: Description("Sant när värdena också anges för kvinnor och män.")] bool SplitByGender);

public sealed record OpenDataOutcome(
    Guid IndicatorId,
    [property: Description("Den publicerade uppföljningsperiod som värdet hör till.")] string FollowUpPeriod,
    [property: Description("Värdets egen period, t.ex. 2026-T1, 2025 eller 2026-03.")] string Period,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    decimal? Value,
    [property: Description("Värdet för kvinnor, om indikatorn delas upp på kön.")] decimal? ValueWomen,
    [property: Description("Värdet för män, om indikatorn delas upp på kön.")] decimal? ValueMen,
    [property: Description("Målvärdet för perioden, eller för året om perioden inte har något eget.")] decimal? Target,
    [property: Description("Målvärdets nedre gräns, när målet är ett intervall.")] decimal? TargetMin,
    [property: Description("Målvärdets övre gräns, när målet är ett intervall.")] decimal? TargetMax,
    [property: Description("Hur värdet kom in: manual (skrivet för hand), import (från en fil) eller kolada (hämtat från Kolada).")] ValueSource Source,
    [property: Description("\"Källa: Kolada\" för värden från Kolada; annars null.")] string? Attribution,
    [property: Description("Vilket nyckeltal och vilken kommun i Kolada värdet kommer från; annars null.")] string? SourceReference,
    [property: Description("Enheten som ägde indikatorn när värdets period slutade: efter en omorganisation står äldre värden kvar på den enhet som hade dem då.")] Guid OwnerUnitId,
    [property: Description("Den enhetens namn när värdets period slutade.")] string? OwnerUnitName);
