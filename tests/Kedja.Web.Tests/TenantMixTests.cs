using Kedja.Web.Exchange;
using Kedja.Web.Generation;

namespace Kedja.Web.Tests;

public class TenantMixTests
{
    [Fact]
    public void Three_hundred_municipalities_are_mostly_small_every_tenth_medium_and_exactly_one_large_each_with_its_own_valid_slug()
    {
        var plan = TenantMix.Plan(300, "kommun");

        plan.Count.ShouldBe(300);
        plan.Count(t => t.Size == TenantSize.L).ShouldBe(1);
        plan.Count(t => t.Size == TenantSize.M).ShouldBe(29);
        plan.Count(t => t.Size == TenantSize.S).ShouldBe(270);
        plan.Single(t => t.Size == TenantSize.L).Slug.ShouldBe("kommun-150-l");
        plan.Select(t => t.Slug).Distinct().Count().ShouldBe(300);
        plan.ShouldAllBe(t => TenantDocumentValidator.SlugPattern().IsMatch(t.Slug));
        TenantMix.Plan(300, "kommun").ShouldBe(plan);
        Should.Throw<ArgumentOutOfRangeException>(() => TenantMix.Plan(TenantMix.MaxCount + 1, "kommun"));
    }
}
