namespace Kedja.Web.Infrastructure;

/// <summary>
/// A change to one thing can break the rules of others that point at it (a level the goals on it, a nämnd the förvaltning
/// that serves it). Services check those others again with their own rules against the state after the change, and
/// report what would break here, on the field of the change, one sentence per broken rule.
/// </summary>
public static class Dependents
{
    /// <param name="broken">Each dependent's name with each error its own rules give after the change.</param>
    /// <param name="one">How one dependent is named: "målet", "enheten".</param>
    /// <param name="several">How several are named: "målen", "enheterna".</param>
    /// <param name="invalid">The word for invalid agreeing with <paramref name="one"/>: "ogiltigt", "ogiltig".</param>
    public static void Report(ValidationErrors e, string field, IEnumerable<(string Name, string Message)> broken, string one, string several, string invalid)
    {
        foreach (var rule in broken.GroupBy(x => x.Message, x => x.Name))
        {
            var names = rule.Distinct().ToList();
            var shown = string.Join(", ", names.Take(3).Select(n => $"'{n}'"));
            e.Add(field, names.Count switch
            {
                1 => $"Ändringen skulle göra {one} {shown} {invalid}: {rule.Key}",
                <= 3 => $"Ändringen skulle göra {several} {shown} ogiltiga: {rule.Key}",
                _ => $"Ändringen skulle göra {several} {shown} och {names.Count - 3} till ogiltiga: {rule.Key}",
            });
        }
    }
}
