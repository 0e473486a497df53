using System.Text.Json;
using Kedja.Domain.Auditing;

namespace Kedja.Web.Auth;

/// <summary>
/// Audit entries for accounts, sign-in and tokens, in the installation's chain (TenantId null) where system
/// administrators read them: a tenant's own trail never shows whether an account existed before it was added there.
/// Details never hold a password, a secret or a token.
/// </summary>
internal static class AccountAudit
{
    public const string Account = "Account";
    public const string Token = "PersonalAccessToken";
    public const string UnknownAccount = "okänt konto";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static AuditEntry Entry(string entity, string entityId, string action, string actor, DateTimeOffset at, Guid? tenantId = null, object? details = null) => new()
    {
        TenantId = tenantId,
        UserName = actor,
        At = at.UtcDateTime,
        Entity = entity,
        EntityId = entityId,
        Action = action,
        After = details is null ? null : JsonSerializer.Serialize(details, Json),
    };
}
