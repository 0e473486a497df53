namespace Kedja.Data;

/// <summary>
/// One of the slowest requests a node served in a short window (issue 18, ADR 51), for the system administrators' page
/// of the whole installation: each node writes its few slowest per window, so that the slowest of the last hour are the
/// installation's, not one node's. The route template only (never the address asked for or its query string) and no
/// person or tenant. Not a tenant's data; rows older than a few hours are deleted.
/// </summary>
public class RequestSample
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The node that served it (machine name and process).</summary>
    public required string Node { get; set; }

    /// <summary>When the request ended (UTC).</summary>
    public DateTime At { get; set; }

    public required string Method { get; set; }

    /// <summary>The endpoint's route template ("/k/{slug}/malkort"), or "" for a request that matched none.</summary>
    public required string Route { get; set; }

    public int Status { get; set; }

    public int DurationMs { get; set; }

    /// <summary>The part spent in database commands (DatabaseTime).</summary>
    public int DatabaseMs { get; set; }
}
