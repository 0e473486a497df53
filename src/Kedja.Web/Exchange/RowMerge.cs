namespace Kedja.Web.Exchange;

/// <summary>Brings a list of child rows in line with a document's list, keeping the rows that stay.</summary>
public static class RowMerge
{
    /// <summary>Removes rows the document no longer has, adds the ones it has new, and copies the document onto each.</summary>
    public static void Merge<TEntity, TDoc>(List<TEntity> rows, IReadOnlyCollection<TDoc> docs, Func<TEntity, TDoc, bool> same, Func<TDoc, TEntity> create, Action<TEntity, TDoc> copy)
    {
        rows.RemoveAll(r => !docs.Any(d => same(r, d)));
        foreach (var doc in docs)
        {
            var row = rows.FirstOrDefault(r => same(r, doc));
            if (row is null)
            {
                rows.Add(row = create(doc));
            }

            copy(row, doc);
        }
    }
}
