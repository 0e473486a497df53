using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Kedja.Data;

/// <summary>
/// The last line before anything is written: every text that goes to the database fits its column, on SQLite (which
/// would store any length) exactly as on PostgreSQL (which would refuse it with a database error). Validation names
/// the field in Swedish first; this catches whatever a path forgot, with the same answer on both databases.
/// </summary>
public static class InputBounds
{
    public static void Check(ChangeTracker tracker)
    {
        foreach (var entry in tracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified))
            {
                continue;
            }

            foreach (var property in entry.Properties)
            {
                if (entry.State == EntityState.Modified && !property.IsModified)
                {
                    continue;
                }

                // Only what is stored as text: numbers and dates are left alone, so a bulk write converts them once.
                var converter = property.Metadata.GetValueConverter() ?? property.Metadata.FindTypeMapping()?.Converter;
                if ((converter?.ProviderClrType ?? property.Metadata.ClrType) != typeof(string))
                {
                    continue;
                }

                var max = property.Metadata.GetMaxLength();
                var value = property.CurrentValue is { } current && converter is not null ? converter.ConvertToProvider(current) : property.CurrentValue;
                if (value is not string text)
                {
                    continue;
                }

                if (max is { } limit && text.Length > limit)
                {
                    throw new InputBoundsException(entry.Metadata.ClrType.Name, property.Metadata.Name,
                        $"Texten är för lång: högst {limit} tecken, men den har {text.Length}.");
                }

                // PostgreSQL cannot store the NUL character in text at all; SQLite would. Refuse it on both.
                if (text.Contains('\0', StringComparison.Ordinal))
                {
                    throw new InputBoundsException(entry.Metadata.ClrType.Name, property.Metadata.Name, "Texten innehåller ett otillåtet tecken (NUL).");
                }
            }
        }
    }
}

/// <summary>A value that does not fit where it is to be stored; nothing has been written. The web answers 400 naming the field.</summary>
public sealed class InputBoundsException(string entity, string property, string message) : Exception(message)
{
    public string Entity { get; } = entity;

    public string Property { get; } = property;
}
