using Kedja.Data;
using Kedja.Data.Migrations;

namespace Kedja.Web.Backups;

/// <summary>
/// The schema of a backup against this build's migrations (ADR 3): a backup from an older build restores and the
/// missing migrations run at the next start; one with a migration this build does not know came from a newer build,
/// whose tables and columns this code would misread or overwrite, so it is refused.
/// </summary>
public static class BackupSchema
{
    public static string Latest(IReadOnlyCollection<string> applied) => applied.Count == 0 ? "ingen" : applied.Max(StringComparer.Ordinal)!;

    public static void RefuseNewer(IReadOnlyCollection<string> applied, DatabaseProvider provider, string file)
    {
        var known = SchemaMigrator.Scripts(provider).Select(s => s.Id).ToList();
        var unknown = applied.Where(id => !known.Contains(id)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new BackupRefusedException(
                $"Säkerhetskopian {file} kommer från en nyare version av Kedja: den har migreringen {string.Join(", ", unknown)}, som den här versionen inte " +
                $"känner till (den senaste den känner är {known.LastOrDefault() ?? "ingen"}). Installera den version av Kedja som gjorde säkerhetskopian, " +
                "eller en senare, och återställ med den. Inget återställdes.");
        }

        if (applied.Count == 0)
        {
            throw new BackupRefusedException($"{file} är ingen säkerhetskopia av Kedja: tabellen {SchemaMigrator.HistoryTable} saknas eller är tom. Inget återställdes.");
        }
    }
}
