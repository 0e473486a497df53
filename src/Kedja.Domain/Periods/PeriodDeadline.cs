using Kedja.Domain.Organisation;

namespace Kedja.Domain.Periods;

/// <summary>
/// When the follow-up of one level of the organisation is due in a period (units by 5 May, committees by 20 May).
/// A level without a row has the period's <see cref="FollowUpPeriod.Deadline"/>.
/// </summary>
public class PeriodDeadline : TenantEntity
{
    public Guid PeriodId { get; set; }

    public UnitKind UnitKind { get; set; }

    public DateOnly DueOn { get; set; }
}
