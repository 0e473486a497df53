namespace Kedja.Web.Exchange;

/// <summary>Numbers as the document and the API write them.</summary>
public static class DocumentNumbers
{
    /// <summary>PostgreSQL numeric(18,4) hands back 6.8000; write 6.8 whatever the database.</summary>
    public static decimal Normal(decimal value) => value / 1.000000000000000000000000000000000m;

    public static decimal? Normal(decimal? value) => value is null ? null : Normal(value.Value);
}
