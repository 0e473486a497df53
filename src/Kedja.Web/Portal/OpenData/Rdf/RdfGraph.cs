namespace Kedja.Web.Portal.OpenData.Rdf;

/// <summary>A node an RDF statement points at: a resource (<see cref="Iri"/>) or a value (<see cref="Literal"/>).</summary>
public abstract record RdfNode;

/// <summary>A resource, named by an absolute IRI.</summary>
public sealed record Iri(string Value) : RdfNode
{
    public override string ToString() => Value;
}

/// <summary>A value: a text in a language, a typed value (a date), or a plain string.</summary>
public sealed record Literal(string Value, string? Language = null, string? Datatype = null) : RdfNode
{
    public static Literal Swedish(string text) => new(text, "sv");

    public static Literal English(string text) => new(text, "en");

    public static Literal Date(DateOnly date) => new(date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), Datatype: Vocabulary.Xsd + "date");

    public static Literal DateTime(DateTime at) =>
        new(System.DateTime.SpecifyKind(at, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), Datatype: Vocabulary.Xsd + "dateTime");
}

public sealed record Triple(Iri Subject, Iri Predicate, RdfNode Object);

/// <summary>
/// A small RDF graph for the DCAT-AP-SE catalogue (ADR 42): statements in the order they were added, written as Turtle,
/// JSON-LD or RDF/XML by our own writers. No blank nodes: every resource has an IRI, so the three serialisations give the
/// same triples and a test can compare them as sets.
/// </summary>
public sealed class RdfGraph
{
    private readonly List<Triple> triples = [];

    public IReadOnlyList<Triple> Triples => triples;

    /// <summary>The prefixes the writers abbreviate with, in the order they are declared.</summary>
    public static IReadOnlyList<(string Prefix, string Namespace)> Prefixes { get; } =
    [
        ("rdf", Vocabulary.Rdf), ("xsd", Vocabulary.Xsd), ("dcat", Vocabulary.Dcat), ("dct", Vocabulary.Dct), ("dcatap", Vocabulary.DcatAp),
        ("foaf", Vocabulary.Foaf), ("vcard", Vocabulary.Vcard),
    ];

    public RdfGraph Add(string subject, string predicate, RdfNode value)
    {
        triples.Add(new Triple(new Iri(subject), new Iri(predicate), value));
        return this;
    }

    public RdfGraph Add(string subject, string predicate, string iri) => Add(subject, predicate, new Iri(iri));

    public RdfGraph Type(string subject, string type) => Add(subject, Vocabulary.Rdf + "type", new Iri(type));

    /// <summary>The statements grouped by subject, subjects and their predicates in the order first added.</summary>
    public IEnumerable<(Iri Subject, IEnumerable<(Iri Predicate, IReadOnlyList<RdfNode> Objects)> Properties)> BySubject() =>
        triples.GroupBy(t => t.Subject).Select(s => (s.Key, s.GroupBy(t => t.Predicate).Select(p => (p.Key, (IReadOnlyList<RdfNode>)[.. p.Select(t => t.Object)]))));

    /// <summary>"prefix:local" when the IRI is in a declared namespace and its rest is a plain name; null otherwise.</summary>
    public static string? Compact(string iri)
    {
        foreach (var (prefix, ns) in Prefixes)
        {
            if (iri.StartsWith(ns, StringComparison.Ordinal) && IsPlainName(iri.AsSpan(ns.Length)))
            {
                return $"{prefix}:{iri[ns.Length..]}";
            }
        }

        return null;
    }

    /// <summary>A local name every syntax accepts as it is: a letter, then letters, digits, '_' or '-'.</summary>
    private static bool IsPlainName(ReadOnlySpan<char> local)
    {
        if (local.IsEmpty || !char.IsAsciiLetter(local[0]))
        {
            return false;
        }

        foreach (var c in local)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '-')
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>The vocabularies DCAT-AP-SE uses, and the terms of them the catalogue writes.</summary>
public static class Vocabulary
{
    public const string Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    public const string Xsd = "http://www.w3.org/2001/XMLSchema#";
    public const string Dcat = "http://www.w3.org/ns/dcat#";
    public const string Dct = "http://purl.org/dc/terms/";
    public const string DcatAp = "http://data.europa.eu/r5r/";
    public const string Foaf = "http://xmlns.com/foaf/0.1/";
    public const string Vcard = "http://www.w3.org/2006/vcard/ns#";
}
