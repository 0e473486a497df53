using Kedja.Data;
using Kedja.Domain.Documents;
using Kedja.Domain.Tenancy;
using Kedja.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Kedja.Web.Documents.Pages;

/// <summary>The municipality's governing documents by kind, each with the goals it serves; administrators add and change them.</summary>
[RequireTenant(TenantRole.Reader)]
public sealed class DocumentsModel(TenantContext tenant, DocumentEditing documents, KedjaDbContext db) : PageModel
{
    public TenantContext Tenant => tenant;

    public bool IsAdmin => tenant.Role >= TenantRole.Admin;

    public List<(DocumentKind Kind, List<VersionedDocument> Documents)> Groups { get; private set; } = [];

    public Dictionary<Guid, (string Title, string? Code)> Goals { get; private set; } = [];

    public Dictionary<Guid, string> Units { get; private set; } = [];

    /// <summary>"sparat" or "borttaget" after a change, for the message at the top.</summary>
    public string? Done { get; private set; }

    public async Task OnGetAsync([FromQuery(Name = "klart")] string? done)
    {
        var ct = HttpContext.RequestAborted;
        var all = await documents.ListAsync(ct);
        Groups = [.. all.GroupBy(d => d.Kind).OrderBy(g => g.Key).Select(g => (g.Key, g.ToList()))];
        var goalIds = all.SelectMany(d => d.GoalIds).Distinct().ToList();
        Goals = await db.Goals.AsNoTracking().Where(g => goalIds.Contains(g.Id)).ToDictionaryAsync(g => g.Id, g => (g.Title, g.Code), ct);
        Units = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        Done = done is "sparat" or "borttaget" ? done : null;
    }
}
