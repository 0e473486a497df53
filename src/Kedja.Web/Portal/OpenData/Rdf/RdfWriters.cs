using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Xml;

namespace Kedja.Web.Portal.OpenData.Rdf;

/// <summary>
/// Writes an <see cref="RdfGraph"/> as Turtle, JSON-LD or RDF/XML. Our own (ADR 42): no RDF library for .NET is served
/// here. Each writer escapes by its syntax's rules, so any text a municipality enters (quotes, backslashes, line breaks,
/// any script) comes back as it was; the tests read every format back with Debian's rapper or rdflib.
/// </summary>
public static class RdfWriters
{
    public static string Turtle(RdfGraph graph)
    {
        var text = new StringBuilder();
        foreach (var (prefix, ns) in RdfGraph.Prefixes)
        {
            text.Append("@prefix ").Append(prefix).Append(": <").Append(TurtleIri(ns)).Append("> .\n");
        }

        foreach (var (subject, properties) in graph.BySubject())
        {
            text.Append('\n').Append(TurtleTerm(subject));
            var first = true;
            foreach (var (predicate, objects) in properties)
            {
                text.Append(first ? "\n    " : " ;\n    ");
                first = false;
                text.Append(predicate.Value == Vocabulary.Rdf + "type" ? "a" : TurtleTerm(predicate)).Append(' ');
                text.AppendJoin(", ", objects.Select(TurtleTerm));
            }

            text.Append(" .\n");
        }

        return text.ToString();
    }

    private static string TurtleTerm(RdfNode node) => node switch
    {
        Iri iri => RdfGraph.Compact(iri.Value) ?? $"<{TurtleIri(iri.Value)}>",
        Literal { Language: { } language } literal => $"{TurtleString(literal.Value)}@{language}",
        Literal { Datatype: { } datatype } literal => $"{TurtleString(literal.Value)}^^{TurtleTerm(new Iri(datatype))}",
        Literal literal => TurtleString(literal.Value),
        _ => throw new ArgumentOutOfRangeException(nameof(node)),
    };

    /// <summary>A string in double quotes: quote, backslash and line breaks by their escapes, other control characters as \u.</summary>
    private static string TurtleString(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                < ' ' or '\u007f' => text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => text.Append(c),
            };
        }

        return text.Append('"').ToString();
    }

    /// <summary>An IRI between angle brackets may hold no space, control character or any of &lt;&gt;"{}|^`\ : those as \u.</summary>
    private static string TurtleIri(string iri)
    {
        var text = new StringBuilder(iri.Length);
        foreach (var c in iri)
        {
            _ = c <= ' ' || "<>\"{}|^`\\".Contains(c, StringComparison.Ordinal)
                ? text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}")
                : text.Append(c);
        }

        return text.ToString();
    }

    /// <summary>
    /// JSON-LD 1.0 in expanded-value form under a context of prefixes: one object per subject in <c>@graph</c>, every
    /// value an object with <c>@id</c>, or <c>@value</c> and its language or type. JSON's own escaping keeps any text.
    /// </summary>
    public static string JsonLd(RdfGraph graph)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteStartObject("@context");
            foreach (var (prefix, ns) in RdfGraph.Prefixes)
            {
                json.WriteString(prefix, ns);
            }

            json.WriteEndObject();
            json.WriteStartArray("@graph");
            foreach (var (subject, properties) in graph.BySubject())
            {
                json.WriteStartObject();
                json.WriteString("@id", subject.Value);
                foreach (var (predicate, objects) in properties)
                {
                    if (predicate.Value == Vocabulary.Rdf + "type")
                    {
                        json.WriteStartArray("@type");
                        foreach (var type in objects.Cast<Iri>())
                        {
                            json.WriteStringValue(RdfGraph.Compact(type.Value) ?? type.Value);
                        }

                        json.WriteEndArray();
                        continue;
                    }

                    json.WriteStartArray(RdfGraph.Compact(predicate.Value) ?? predicate.Value);
                    foreach (var value in objects)
                    {
                        json.WriteStartObject();
                        switch (value)
                        {
                            case Iri iri:
                                json.WriteString("@id", iri.Value);
                                break;
                            case Literal literal:
                                json.WriteString("@value", literal.Value);
                                if (literal.Language is { } language)
                                {
                                    json.WriteString("@language", language);
                                }
                                else if (literal.Datatype is { } datatype)
                                {
                                    json.WriteString("@type", RdfGraph.Compact(datatype) ?? datatype);
                                }

                                break;
                        }

                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>
    /// RDF/XML, one rdf:Description per subject. XML 1.0 cannot carry most control characters at all: they become U+FFFD
    /// here (no text the interface accepts holds one); a carriage return is written as a character reference so it stays.
    /// </summary>
    public static string RdfXml(RdfGraph graph)
    {
        var settings = new XmlWriterSettings
        {
            Indent = true, Encoding = new UTF8Encoding(false), NewLineHandling = NewLineHandling.Entitize, NewLineChars = "\n", OmitXmlDeclaration = false,
        };
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, settings))
        {
            xml.WriteStartElement("rdf", "RDF", Vocabulary.Rdf);
            foreach (var (prefix, ns) in RdfGraph.Prefixes.Where(p => p.Prefix != "rdf"))
            {
                xml.WriteAttributeString("xmlns", prefix, null, ns);
            }

            foreach (var (subject, properties) in graph.BySubject())
            {
                xml.WriteStartElement("rdf", "Description", Vocabulary.Rdf);
                xml.WriteAttributeString("rdf", "about", Vocabulary.Rdf, subject.Value);
                foreach (var (predicate, objects) in properties)
                {
                    var (ns, local) = Split(predicate.Value);
                    foreach (var value in objects)
                    {
                        xml.WriteStartElement(local, ns);
                        switch (value)
                        {
                            case Iri iri:
                                xml.WriteAttributeString("rdf", "resource", Vocabulary.Rdf, iri.Value);
                                break;
                            case Literal literal:
                                if (literal.Language is { } language)
                                {
                                    xml.WriteAttributeString("xml", "lang", null, language);
                                }
                                else if (literal.Datatype is { } datatype)
                                {
                                    xml.WriteAttributeString("rdf", "datatype", Vocabulary.Rdf, datatype);
                                }

                                xml.WriteString(XmlSafe(literal.Value));
                                break;
                        }

                        xml.WriteEndElement();
                    }
                }

                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>An element name for a property: its namespace (a declared prefix's) and its local name.</summary>
    private static (string Namespace, string Local) Split(string iri)
    {
        var (_, ns) = RdfGraph.Prefixes.FirstOrDefault(p => iri.StartsWith(p.Namespace, StringComparison.Ordinal));
        return ns is not null && RdfGraph.Compact(iri) is not null
            ? (ns, iri[ns.Length..])
            : throw new InvalidOperationException($"RDF/XML kan inte skriva egenskapen {iri} som elementnamn.");
    }

    private static string XmlSafe(string value) =>
        value.Any(c => c < ' ' && c is not '\n' and not '\r' and not '\t')
            ? new string([.. value.Select(c => c < ' ' && c is not '\n' and not '\r' and not '\t' ? '\uFFFD' : c)])
            : value;
}
