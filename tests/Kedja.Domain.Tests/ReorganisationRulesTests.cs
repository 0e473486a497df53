using Kedja.Domain.Organisation;

namespace Kedja.Domain.Tests;

/// <summary>The organisation and owners as of a date across merges, splits, moves and renames (ADR 47 section 5).</summary>
public class ReorganisationRulesTests
{
    private static readonly DateOnly NewYear = new(2027, 1, 1);
    private static readonly DateOnly LastYearEnd = new(2026, 12, 31);
    private static readonly Guid Top = Guid.NewGuid(), A = Guid.NewGuid(), B = Guid.NewGuid(), C = Guid.NewGuid(), D = Guid.NewGuid();

    private static UnitState Unit(Guid id, string name, Guid? parent = null, bool active = true) => new(id, parent, name, null, UnitKind.Unit, active);

    private static Dictionary<Guid, UnitState> Now() => new[] { Unit(Top, "Förvaltningen"), Unit(A, "Alfa", Top), Unit(B, "Beta", Top), Unit(D, "Delta", A) }.ToDictionary(u => u.UnitId);

    [Fact]
    public void A_merge_keeps_last_years_units_and_owners_and_gives_this_year_to_the_new_unit()
    {
        var now = Now();
        var merged = Unit(C, "Gamma", Top);
        var versions = OrgAsOf.Change(now[A], [], NewYear, now[A] with { IsActive = false })
            .Concat(OrgAsOf.Change(now[B], [], NewYear, now[B] with { IsActive = false }))
            .Concat(OrgAsOf.Change(null, [], NewYear, merged))
            .Concat(OrgAsOf.Change(now[D], [], NewYear, now[D] with { ParentId = C })).ToList();
        var current = now.Values.Select(u => u.UnitId == A || u.UnitId == B ? u with { IsActive = false } : u.UnitId == D ? u with { ParentId = C } : u).Append(merged).ToList();

        var before = OrgAsOf.At(current, versions, LastYearEnd);
        before.Keys.ShouldBe([Top, A, B, D], ignoreOrder: true);
        before[A].IsActive.ShouldBeTrue();
        before[D].ParentId.ShouldBe(A);
        OrgAsOf.Path(before, D).ShouldBe(["Förvaltningen", "Alfa", "Delta"]);

        var after = OrgAsOf.At(current, versions, NewYear);
        after[C].Name.ShouldBe("Gamma");
        after[A].IsActive.ShouldBeFalse();
        after[D].ParentId.ShouldBe(C);

        var goal = Ownership.Move(A, [], C, NewYear);
        Ownership.At(C, goal, LastYearEnd).ShouldBe(A);
        Ownership.At(C, goal, NewYear).ShouldBe(C);
        Ownership.At(A, goal, new DateOnly(2030, 6, 30)).ShouldBe(C);
        Ownership.At(B, [], LastYearEnd).ShouldBe(B, "without a history the current owner owns it always");
    }

    [Fact]
    public void A_goals_indicator_follows_the_goals_history_only_without_its_own_and_while_they_share_an_owner()
    {
        Ownership.FollowsGoal(hasOwnHistory: false, indicatorOwner: C, goalOwner: C).ShouldBeTrue();
        Ownership.FollowsGoal(hasOwnHistory: true, indicatorOwner: C, goalOwner: C).ShouldBeFalse("its own history says whose it was");
        Ownership.FollowsGoal(hasOwnHistory: false, indicatorOwner: B, goalOwner: C).ShouldBeFalse("another unit follows it up");
        Ownership.FollowsGoal(hasOwnHistory: false, indicatorOwner: C, goalOwner: null).ShouldBeFalse("an indicator of no goal");
    }

    [Fact]
    public void A_second_change_keeps_the_first_and_replaces_what_the_history_said_from_its_date()
    {
        var first = Ownership.Move(A, [], C, NewYear);
        var second = Ownership.Move(C, first, B, new DateOnly(2028, 1, 1));
        second.Count.ShouldBe(3);
        Ownership.At(B, second, LastYearEnd).ShouldBe(A);
        Ownership.At(B, second, new DateOnly(2027, 12, 31)).ShouldBe(C);
        Ownership.At(B, second, new DateOnly(2028, 1, 1)).ShouldBe(B);

        // Planned again over a later date: the later owner is replaced, the earlier kept.
        var again = Ownership.Move(B, second, D, new DateOnly(2027, 7, 1));
        Ownership.At(D, again, new DateOnly(2027, 6, 30)).ShouldBe(C);
        Ownership.At(D, again, new DateOnly(2029, 1, 1)).ShouldBe(D);
        again.Count.ShouldBe(3);
    }

    [Fact]
    public void A_rename_and_a_move_read_with_the_name_and_parent_of_each_date()
    {
        var now = Now();
        var renamed = OrgAsOf.Change(now[B], [], NewYear, now[B] with { Name = "Beta nya" });
        var moved = OrgAsOf.Change(now[D], [], NewYear, now[D] with { ParentId = B });
        List<UnitState> current = [now[Top], now[A], now[B] with { Name = "Beta nya" }, now[D] with { ParentId = B }];
        OrgAsOf.At(current, [.. renamed, .. moved], LastYearEnd)[B].Name.ShouldBe("Beta");
        OrgAsOf.Path(OrgAsOf.At(current, [.. renamed, .. moved], LastYearEnd), D).ShouldBe(["Förvaltningen", "Alfa", "Delta"]);
        OrgAsOf.Path(OrgAsOf.At(current, [.. renamed, .. moved], NewYear), D).ShouldBe(["Förvaltningen", "Beta nya", "Delta"]);
    }

    [Fact]
    public void A_split_creates_units_that_did_not_exist_before_and_a_person_picks_the_owners()
    {
        var now = Now();
        var north = Unit(C, "Norr", Top);
        var versions = OrgAsOf.Change(null, [], NewYear, north).Concat(OrgAsOf.Change(now[A], [], NewYear, now[A] with { IsActive = false })).ToList();
        OrgAsOf.At([.. now.Values, north], versions, LastYearEnd).ContainsKey(C).ShouldBeFalse();
        OrgAsOf.At([.. now.Values, north], versions, NewYear)[C].Name.ShouldBe("Norr");
        ReorganisationRules.Proposal(ReorganisationKind.Split, A, [C, D]).ShouldBeNull();
        ReorganisationRules.Proposal(ReorganisationKind.Merge, A, [C]).ShouldBe(C);
        ReorganisationRules.Proposal(ReorganisationKind.Rename, A, []).ShouldBe(A);
    }

    [Fact]
    public void Every_problem_of_a_plan_is_named_at_once_in_Swedish()
    {
        var now = Now();
        now[Guid.Empty] = Unit(Guid.Empty, "Gammal", Top, active: false);
        List<PlannedStep> steps =
        [
            new(ReorganisationKind.Merge, [A], null, "", []),
            new(ReorganisationKind.Move, [A], D, null, []),
            new(ReorganisationKind.Split, [B], null, null, ["Norr", "norr"]),
            new(ReorganisationKind.Rename, [Guid.Empty], null, "Gammal", []),
        ];
        var errors = ReorganisationRules.Check(" ", new DateOnly(2026, 6, 1), steps, now, [new LockedPeriod("Årsredovisning 2026", LastYearEnd)],
            new Dictionary<Guid, DateOnly> { [B] = NewYear });
        var text = string.Join("\n", errors.Select(e => $"{e.Field}: {e.Message}"));
        errors.Select(e => e.Field).ShouldBe(["name", "effectiveDate", "steps[0].sources", "steps[0].newName", "steps[1].sources", "steps[1].newParentId",
            "steps[2].sources", "steps[2].newNames", "steps[3].sources", "steps[3].newName"], text);
        text.ShouldContain("låst år");
        text.ShouldContain("Alfa ingår redan i steg 1");
        text.ShouldContain("Alfa kan inte flyttas under sig själv eller en enhet under sig.");
        text.ShouldContain("Beta ingår redan i en annan omorganisation (2027-01-01)");
        text.ShouldContain("olika namn");
        text.ShouldContain("Gammal är inte aktiv.");

        ReorganisationRules.Check("Ihop", NewYear, [new(ReorganisationKind.Merge, [A, B], Top, "Gamma", [])], Now(), [new LockedPeriod("Årsredovisning 2026", LastYearEnd)], new Dictionary<Guid, DateOnly>())
            .ShouldBeEmpty();
    }

    [Fact]
    public void A_change_reads_in_Swedish_planned_and_done()
    {
        ReorganisationRules.Describe(ReorganisationKind.Merge, ["A", "B"], ["C"], null, null, done: true).ShouldBe("A och B slogs ihop till C");
        ReorganisationRules.Describe(ReorganisationKind.Split, ["A"], ["Norr", "Söder", "Väster"], null, null, done: false).ShouldBe("A delas i Norr, Söder och Väster");
        ReorganisationRules.Describe(ReorganisationKind.Move, ["D"], [], "B", null, done: false).ShouldBe("D flyttas till B");
        ReorganisationRules.Describe(ReorganisationKind.Rename, ["B"], [], null, "Beta nya", done: true).ShouldBe("B bytte namn till Beta nya");
    }
}
