using System.Reflection;
using Kedja.Data;

namespace Kedja.Web.Tests.Portal;

/// <summary>
/// The portal reads only through the anonymous published-only path (ADR 17, 41): no type of the portal's namespace
/// takes the members' database context, directly or through a service that does, in a constructor, a page handler or
/// an endpoint's method. A query that forgets the publishing rule then cannot be written there.
/// </summary>
public sealed class PortalReadsOnlyPublishedTests
{
    private static readonly Assembly Web = typeof(Kedja.Web.Portal.PortalResponses).Assembly;

    /// <summary>Types that reach the full data; the published context is a subclass and allowed.</summary>
    private static bool Forbidden(Type type) =>
        type == typeof(KedjaDbContext) || type == typeof(TenantScope) || type == typeof(Kedja.Web.Infrastructure.TenantContext);

    /// <summary>Why a type reaches the full data, or null: it or a Kedja service it is built from takes a forbidden type.</summary>
    private static string? Reaches(Type type, HashSet<Type> seen)
    {
        if (Forbidden(type))
        {
            return type.Name;
        }

        if (type.Assembly != Web || !seen.Add(type))
        {
            return null;
        }

        foreach (var constructor in type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
        {
            foreach (var parameter in constructor.GetParameters())
            {
                if (Reaches(parameter.ParameterType, seen) is { } path)
                {
                    return $"{type.Name} → {path}";
                }
            }
        }

        return null;
    }

    [Fact]
    public void No_portal_type_reaches_the_members_context()
    {
        var portal = Web.GetTypes().Where(t => t.Namespace?.StartsWith("Kedja.Web.Portal", StringComparison.Ordinal) == true).ToList();
        portal.Count.ShouldBeGreaterThan(3, "the portal's types are found");
        var found = new List<string>();
        foreach (var type in portal)
        {
            var members = type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance).Cast<MethodBase>()
                .Concat(type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly));
            foreach (var parameter in members.SelectMany(m => m.GetParameters()))
            {
                if (Reaches(parameter.ParameterType, []) is { } path)
                {
                    found.Add($"{type.FullName}: {parameter.Name} → {path}");
                }
            }
        }

        found.ShouldBeEmpty();
    }

    [Fact]
    public void The_check_finds_a_service_that_reaches_the_members_context()
    {
        Reaches(typeof(Kedja.Web.Periods.PeriodPublishing), []).ShouldNotBeNull("the check must be able to fail");
        Reaches(typeof(Kedja.Web.Public.PublicReader), []).ShouldBeNull();
    }
}
