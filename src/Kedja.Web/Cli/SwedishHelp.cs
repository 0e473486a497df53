using System.CommandLine;
using System.CommandLine.Help;
using System.Runtime.CompilerServices;

namespace Kedja.Web.Cli;

/// <summary>
/// Help and argument errors in Swedish. System.CommandLine ships no Swedish texts, so help is written from the command
/// tree here and a parse error is described from what the parser found (an unknown word, a missing value), never by
/// passing on the library's English message.
/// </summary>
internal static class SwedishHelp
{
    public const string Program = "Kedja.Web";

    private const int MaxLeftColumn = 46;

    /// <summary>Messages that Kedja's own validators gave, recognised by reference, so they pass on as they are.</summary>
    private static readonly ConditionalWeakTable<string, object> OwnMessages = [];

    public static string Own(string message)
    {
        OwnMessages.AddOrUpdate(message, OwnMessages);
        return message;
    }

    public static void Write(Command command, TextWriter output)
    {
        output.WriteLine(command.Description);
        output.WriteLine();
        output.WriteLine("Användning:");
        if (command is RootCommand)
        {
            output.WriteLine($"  {Program} <kommando> [argument] [flaggor]");
            output.WriteLine($"  {Program} [--urls <adresser>] [--environment <miljö>]   startar webbservern");
        }
        else
        {
            output.WriteLine($"  {Program} {Synopsis(command)}");
        }

        Table(output, "Argument:", command.Arguments.Where(a => !a.Hidden).Select(a => (Name(a), Describe(a.Description, a.HasDefaultValue ? a.GetDefaultValue() : null))));
        Table(output, "Kommandon:", command.Subcommands.Where(c => !c.Hidden).Select(c => (Synopsis(c), FirstSentence(c.Description))));
        Table(output, "Flaggor:", OptionsOf(command).Select(o => (Token(o, withAliases: true), Describe((o.Required ? "(krävs) " : "") + o.Description, o.HasDefaultValue ? o.GetDefaultValue() : null))));
        if (command is RootCommand)
        {
            output.WriteLine();
            output.WriteLine($"\"{Program} <kommando> --help\" visar kommandots argument och flaggor.");
        }
    }

    /// <summary>What is wrong with the command line, in Swedish; empty when nothing is.</summary>
    public static List<string> ParseErrors(ParseResult parse)
    {
        if (parse.Errors.Count == 0)
        {
            return [];
        }

        var command = parse.CommandResult.Command;
        var messages = new List<string>();
        if (command is RootCommand && parse.UnmatchedTokens.Count > 0)
        {
            // The rest belongs to a command that does not exist, and says nothing of its own.
            messages.Add(UnknownCommand(command, parse.UnmatchedTokens[0]));
        }
        else
        {
            messages.AddRange(parse.UnmatchedTokens.Select(token => $"Okänt argument till {command.Name}: '{token}'."));
        }

        foreach (var argument in command.Arguments)
        {
            if ((parse.GetResult(argument)?.Tokens.Count ?? 0) < argument.Arity.MinimumNumberOfValues)
            {
                messages.Add($"{Name(argument)} saknas.");
            }
        }

        foreach (var option in OptionsOf(command))
        {
            var result = parse.GetResult(option);
            if (result is null || result.Implicit)
            {
                if (option.Required)
                {
                    messages.Add($"Flaggan {option.Name} krävs.");
                }
            }
            else if (result.Tokens.Count < option.Arity.MinimumNumberOfValues)
            {
                messages.Add($"Flaggan {option.Name} saknar värde.");
            }
            else if (result.Tokens.Count > option.Arity.MaximumNumberOfValues)
            {
                messages.Add($"Flaggan {option.Name} får bara anges en gång.");
            }
        }

        messages.AddRange(parse.Errors.Select(e => e.Message).Where(m => OwnMessages.TryGetValue(m, out _)));
        if (messages.Count == 0)
        {
            // A case the descriptions above do not know; better the parser's own words than silence.
            messages.Add("Kommandoraden kunde inte tolkas: " + string.Join(" ", parse.Errors.Select(e => e.Message)));
        }

        return [.. messages.Distinct()];
    }

    public static int Refuse(TextWriter error, Command command, IEnumerable<string> problems)
    {
        foreach (var problem in problems)
        {
            error.WriteLine(problem);
        }

        error.WriteLine(command is RootCommand
            ? $"\"{Program} --help\" visar alla kommandon."
            : $"\"{Program} {command.Name} --help\" visar hur kommandot används.");
        return Verbs.Usage;
    }

    private static string UnknownCommand(Command root, string token)
    {
        var near = root.Subcommands.Select(c => c.Name).Where(n => Distance(n, token) <= 2 || n.StartsWith(token, StringComparison.OrdinalIgnoreCase)).ToList();
        return $"Okänt kommando: '{token}'." + (near.Count > 0 ? $" Menade du {string.Join(" eller ", near)}?" : "");
    }

    private static IEnumerable<Option> OptionsOf(Command command)
    {
        // The help and version options live on the root; help applies to every command below it.
        var inherited = command.Parents.OfType<Command>().SelectMany(OptionsOf).Where(o => o.Recursive);
        return command.Options.Concat(inherited).Where(o => !o.Hidden).Distinct();
    }

    private static string Synopsis(Command command)
    {
        var parts = new List<string> { command.Name };
        parts.AddRange(command.Arguments.Select(a => a.Arity.MinimumNumberOfValues == 0 ? $"[{Name(a)}]" : Name(a)));
        parts.AddRange(command.Options.Where(o => !o.Hidden).Select(o => o.Required ? Token(o, withAliases: false) : $"[{Token(o, withAliases: false)}]"));
        return string.Join(" ", parts);
    }

    private static string FirstSentence(string? text) =>
        text?.IndexOf(". ", StringComparison.Ordinal) is int end and >= 0 ? text[..(end + 1)] : text ?? "";

    private static string Name(Argument argument) => $"<{argument.HelpName ?? argument.Name}>";

    private static string Token(Option option, bool withAliases)
    {
        var names = withAliases ? string.Join(", ", option.Aliases.Where(a => a.StartsWith('-')).Order(StringComparer.Ordinal).Append(option.Name)) : option.Name;
        return option.ValueType == typeof(bool) || option.Arity.MaximumNumberOfValues == 0 ? names : $"{names} <{option.HelpName ?? option.Name.TrimStart('-')}>";
    }

    private static string Describe(string? description, object? defaultValue) =>
        (description ?? "") + (defaultValue is null or "" ? "" : $" Standard: {defaultValue}.");

    private static void Table(TextWriter output, string title, IEnumerable<(string Left, string Right)> rows)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            return;
        }

        // One long synopsis (report's) must not push every description off an 80-column terminal: a left side
        // wider than the column gets a line of its own, with its description below in the column.
        var width = Math.Min(list.Max(r => r.Left.Length) + 2, MaxLeftColumn);
        output.WriteLine();
        output.WriteLine(title);
        foreach (var (left, right) in list)
        {
            if (left.Length + 2 > width && right.Length > 0)
            {
                output.WriteLine($"  {left}");
                output.WriteLine($"  {new string(' ', width)}{right}".TrimEnd());
            }
            else
            {
                output.WriteLine($"  {left.PadRight(width)}{right}".TrimEnd());
            }
        }
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
