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
}
