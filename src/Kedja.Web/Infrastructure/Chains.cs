namespace Kedja.Web.Infrastructure;

/// <summary>
/// Walks the chains Kedja keeps as links upward (a unit to its parent, a goal to the goals it contributes to), so that
/// the document validator and the editing services find a loop with the same code.
/// </summary>
public static class Chains
{
    /// <summary>Whether following the links upward from <paramref name="start"/> (itself included) arrives at <paramref name="target"/>.</summary>
    public static bool Reaches(Guid start, Guid target, Func<Guid, IEnumerable<Guid>> upward)
    {
        var seen = new HashSet<Guid>();
        var next = new Stack<Guid>([start]);
        while (next.TryPop(out var node))
        {
            if (node == target)
            {
                return true;
            }

            if (seen.Add(node))
            {
                foreach (var above in upward(node))
                {
                    next.Push(above);
                }
            }
        }

        return false;
    }
}
