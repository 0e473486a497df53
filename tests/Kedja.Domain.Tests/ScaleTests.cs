using Kedja.Domain.FollowUp;

namespace Kedja.Domain.Tests;

public class ScaleTests
{
    [Fact]
    public void Custom_five_step_scale_orders_by_score()
    {
        var scale = new FulfilmentScale(
        [
            new("helt", "Helt uppfyllt", 1m, false),
            new("stor", "Till stor del", 0.75m, false),
            new("delvis", "Delvis", 0.5m, false),
            new("liten", "Liten del", 0.25m, false),
            new("inte", "Inte uppfyllt", 0m, false),
            new("nb", "Ej bedömt", 0m, true),
        ]);

        scale.Top.Key.ShouldBe("helt");
        scale.Bottom.Key.ShouldBe("inte");
        scale.NotAssessed.Key.ShouldBe("nb");
        scale.IsAssessed("nb").ShouldBeFalse();
        scale.Label("stor").ShouldBe("Till stor del");
    }

    [Fact]
    public void Scale_without_not_assessed_step_is_rejected()
    {
        Should.Throw<ArgumentException>(() => new FulfilmentScale([new("a", "A", 1m, false), new("b", "B", 0m, false)]))
            .Message.ShouldContain("ej bedömt");
    }

    [Theory]
    [InlineData(1, NounGender.Common, "till stor del nådd")]
    [InlineData(1, NounGender.Neuter, "till stor del nått")]
    [InlineData(0, NounGender.Common, "till stor del nådda")]
    [InlineData(2, NounGender.Neuter, "till stor del nådda")]
    public void A_step_gives_its_own_form_for_number_and_gender(int count, NounGender gender, string expected)
    {
        var step = new ScaleStep("stor", "Till stor del nått", 0.75m, false, "till stor del nådda", "till stor del nådd", "till stor del nått");

        step.Predicate(count, gender).ShouldBe(expected);
    }

    [Theory]
    [InlineData("Uppfyllt", 1, NounGender.Common, "uppfylld")]
    [InlineData("Delvis uppfyllt", 1, NounGender.Neuter, "delvis uppfyllt")]
    [InlineData("Ej uppfyllt", 1, NounGender.Common, "inte uppfylld")]
    [InlineData("Ej uppfyllt", 3, NounGender.Common, "inte uppfyllda")]
    [InlineData("Ej bedömt", 1, NounGender.Neuter, "inte bedömt")]
    public void A_step_of_the_standard_scale_without_forms_gets_the_standard_forms(string label, int count, NounGender gender, string expected)
    {
        new ScaleStep("x", label, 0m, false).Predicate(count, gender).ShouldBe(expected);
    }

    [Fact]
    public void A_step_with_an_unknown_label_and_no_forms_uses_its_label()
    {
        var step = new ScaleStep("gron", "Grönt", 1m, false, Plural: "gröna");

        step.Predicate(1, NounGender.Common).ShouldBe("grönt");
        step.Predicate(2, NounGender.Common).ShouldBe("gröna");
    }
}
