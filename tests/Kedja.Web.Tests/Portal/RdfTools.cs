using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Kedja.Web.Tests.Portal;

/// <summary>One RDF statement as N-Triples gives it: IRIs as they are, a literal's value unescaped with its language or type.</summary>
public sealed record NTriple(string Subject, string Predicate, string Object, bool IsLiteral, string? Language = null, string? Datatype = null);

/// <summary>
/// Reads RDF with Debian's tools, not with our own code: rapper (raptor2-utils) for Turtle and RDF/XML, and rdflib
/// (python3-rdflib) for JSON-LD, which this raptor (2.0.15) cannot read. Both give N-Triples, parsed here.
/// </summary>
public static class RdfTools
{
    public const string Rapper = "/usr/bin/rapper";

    /// <summary>Debian's own Python, where python3-rdflib installs (not a Python of one's own earlier on the PATH).</summary>
    public const string Python = "/usr/bin/python3";

    public static string? RapperMissing => File.Exists(Rapper) ? null : $"{Rapper} saknas: installera Debian-paketet raptor2-utils (det gör .ci/run) för att läsa katalogen som RDF.";

    private static readonly Lazy<string?> NoRdflib = new(() =>
    {
        if (!File.Exists(Python))
        {
            return $"{Python} saknas: installera Debian-paketen python3 och python3-rdflib (det gör .ci/run) för att läsa JSON-LD.";
        }

        var (code, _, _) = Run(Python, ["-c", "import rdflib"], null).GetAwaiter().GetResult();
        return code == 0 ? null : "Python-biblioteket rdflib saknas: installera Debian-paketet python3-rdflib (det gör .ci/run) för att läsa JSON-LD.";
    });

    public static string? RdflibMissing => NoRdflib.Value;

    /// <summary>The triples of a Turtle or RDF/XML text as rapper reads it; any error or warning of rapper fails.</summary>
    public static async Task<List<NTriple>> RapperAsync(string text, string syntax)
    {
        var file = Path.Combine(Path.GetTempPath(), $"kedja-rdf-{Guid.NewGuid():N}.{syntax}");
        await File.WriteAllTextAsync(file, text, new UTF8Encoding(false));
        try
        {
            var (code, output, errors) = await Run(Rapper, ["-q", "-i", syntax, "-o", "ntriples", file, "http://example.invalid/"], null);
            code.ShouldBe(0, errors);
            errors.ShouldBeEmpty();
            return ParseNTriples(output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The triples of a JSON-LD text as rdflib reads it, lexical forms kept as written.</summary>
    public static async Task<List<NTriple>> RdflibJsonLdAsync(string text)
    {
        const string Script = """
            import sys, rdflib
            rdflib.NORMALIZE_LITERALS = False
            g = rdflib.Graph()
            g.parse(data=sys.stdin.buffer.read().decode("utf-8"), format="json-ld")
            out = g.serialize(format="nt")
            sys.stdout.buffer.write(out.encode("utf-8") if isinstance(out, str) else out)
            """;
        var (code, output, errors) = await Run(Python, ["-c", Script], text);
        code.ShouldBe(0, errors);
        return ParseNTriples(output);
    }

    private static async Task<(int Code, string Output, string Errors)> Run(string program, IEnumerable<string> arguments, string? input)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null, UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8, StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        if (input is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(Encoding.UTF8.GetBytes(input));
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }

    /// <summary>N-Triples, one statement a line; no blank nodes (the catalogue has none).</summary>
    public static List<NTriple> ParseNTriples(string text)
    {
        var triples = new List<NTriple>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var at = 0;
            var subject = IriAt(line, ref at);
            var predicate = IriAt(line, ref at);
            Skip(line, ref at);
            NTriple triple;
            if (line[at] == '<')
            {
                triple = new NTriple(subject, predicate, IriAt(line, ref at), false);
            }
            else
            {
                line[at].ShouldBe('"', line);
                var value = new StringBuilder();
                at++;
                while (line[at] != '"')
                {
                    if (line[at] == '\\')
                    {
                        var escape = line[at + 1];
                        at += 2;
                        switch (escape)
                        {
                            case 'u':
                                value.Append((char)int.Parse(line.AsSpan(at, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                                at += 4;
                                break;
                            case 'U':
                                value.Append(char.ConvertFromUtf32(int.Parse(line.AsSpan(at, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
                                at += 8;
                                break;
                            default:
                                value.Append(escape switch { 't' => '\t', 'n' => '\n', 'r' => '\r', 'b' => '\b', 'f' => '\f', _ => escape });
                                break;
                        }
                    }
                    else
                    {
                        value.Append(line[at++]);
                    }
                }

                at++;
                string? language = null, datatype = null;
                if (line[at] == '@')
                {
                    var end = line.IndexOf(' ', at);
                    language = line[(at + 1)..end];
                    at = end;
                }
                else if (line[at] == '^')
                {
                    at += 2;
                    datatype = IriAt(line, ref at);
                }

                triple = new NTriple(subject, predicate, value.ToString(), true, language, datatype);
            }

            Skip(line, ref at);
            line[at].ShouldBe('.', line);
            triples.Add(triple);
        }

        return triples;
    }

    private static void Skip(string line, ref int at)
    {
        while (at < line.Length && line[at] == ' ')
        {
            at++;
        }
    }

    private static string IriAt(string line, ref int at)
    {
        Skip(line, ref at);
        line[at].ShouldBe('<', line);
        var end = line.IndexOf('>', at);
        var iri = line[(at + 1)..end];
        at = end + 1;
        return iri;
    }
}

/// <summary>A theory that reads RDF with rapper and rdflib: skipped, with the reason, where either is not installed.</summary>
public sealed class RdfToolsTheoryAttribute : TheoryAttribute
{
    public RdfToolsTheoryAttribute()
    {
        if ((RdfTools.RapperMissing ?? RdfTools.RdflibMissing) is { } missing)
        {
            Skip = missing;
        }
    }
}

/// <summary>A test that reads RDF with rapper and rdflib: skipped, with the reason, where either is not installed.</summary>
public sealed class RdfToolsFactAttribute : FactAttribute
{
    public RdfToolsFactAttribute()
    {
        if ((RdfTools.RapperMissing ?? RdfTools.RdflibMissing) is { } missing)
        {
            Skip = missing;
        }
    }
}

/// <summary>RFC 4180, as a program reading the open data CSV would: quoted fields may hold commas, quotes and line breaks.</summary>
public static class Rfc4180
{
    public static List<string[]> Parse(string text)
    {
        var rows = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var at = 0;
        while (at < text.Length)
        {
            if (text[at] == '"' && field.Length == 0)
            {
                at++;
                while (true)
                {
                    if (text[at] == '"' && at + 1 < text.Length && text[at + 1] == '"')
                    {
                        field.Append('"');
                        at += 2;
                    }
                    else if (text[at] == '"')
                    {
                        at++;
                        break;
                    }
                    else
                    {
                        field.Append(text[at++]);
                    }
                }
            }
            else if (text[at] == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
                at++;
            }
            else if (text[at] == '\r' && at + 1 < text.Length && text[at + 1] == '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                rows.Add([.. fields]);
                fields.Clear();
                at += 2;
            }
            else
            {
                text[at].ShouldNotBe('\n', "a line ends with CRLF, and a line break inside a field stands within quotes");
                text[at].ShouldNotBe('"', "a quote stands only within a quoted field, doubled");
                field.Append(text[at++]);
            }
        }

        (fields.Count + field.Length).ShouldBe(0, "the file ends with a line break");
        return rows;
    }
}
