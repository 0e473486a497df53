using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace Kedja.Web.Imports.Finance;

/// <summary>Which SIE record an amount comes from.</summary>
public enum SieAmountKind
{
    /// <summary>#PBUDGET: the budget of an account in a month.</summary>
    Budget,

    /// <summary>
    /// #PSALDO: the outcome of an account in a month, the month's change and not a running balance: the SIE group
    /// describes type 2 as "månadsvisa saldoförändringar" (monthly changes of balance), and a result account starts
    /// every year at zero. ADR 47, as built by h161.
    /// </summary>
    PeriodBalance,

    /// <summary>#TRANS inside a #VER: one booked transaction.</summary>
    Transaction,
}

/// <summary>
/// One amount of year 0 that the reader hands on: its line, month (1–12), account, the object of the cost-centre
/// dimension (null when the row has none) and the amount in öre with the file's sign (debit positive).
/// <paramref name="Objects"/> is how many objects a #PBUDGET or #PSALDO row names (1 for a transaction): a row of
/// several objects is a finer breakdown, which the import counts only where the file has no row of the cost centre alone.
/// </summary>
public readonly record struct SieAmount(int Line, SieAmountKind Kind, int Month, int Account, string? CostCentre, long Ore, int Objects = 1);

/// <summary>What the reader learnt of the file besides its amounts.</summary>
public sealed class SieFile
{
    /// <summary>The calendar year of financial year 0 (#RAR 0), when the file says.</summary>
    public int? Year { get; set; }

    public int Line0 { get; set; }

    public string? Program { get; set; }

    public string? Company { get; set; }

    public int? Type { get; set; }

    public bool HasFormat { get; set; }

    public int Vouchers { get; set; }

    public int Transactions { get; set; }

    public int BudgetRows { get; set; }

    public int BalanceRows { get; set; }

    /// <summary>Lines read, the last one included.</summary>
    public int Lines { get; set; }

    public Dictionary<(int Dimension, string Code), string> Objects { get; } = [];

    public Dictionary<int, string> Dimensions { get; } = [];

    public Dictionary<int, string> Accounts { get; } = [];
}

/// <summary>
/// Reads an SIE file (type 1–4; "SIE – Standard Import och Export", the format every common Swedish finance system
/// exports) line by line over its bytes, without building the file as text: a million #TRANS rows are read at
/// several hundred thousand rows a second. The format's character set is IBM PC 8 (code page 437), said by
/// <c>#FORMAT PC8</c>; bytes that are å, ä, ö in Windows-1252 or UTF-8 are named as a wrong character set, line by
/// line. Every other problem is named by its line too: an unknown record label (stricter than the specification,
/// which says to skip them, because a misspelt #PBUDGET would silently drop a budget), a voucher whose transactions
/// do not sum to zero, an object that no #OBJEKT declared, a period or date outside the financial year, and a
/// malformed amount, quote or brace. Only year 0 is handed on; #RTRANS and #BTRANS are passed over as the
/// specification says (a #TRANS with the same content follows an #RTRANS).
/// </summary>
public static class SieReader
{
    private static readonly Encoding Pc8 = CodePagesEncodingProvider.Instance.GetEncoding(437) ?? throw new InvalidOperationException("Code page 437 is not available.");

    private static readonly SearchValues<byte> High = SearchValues.Create([.. Enumerable.Range(0x80, 0x80).Select(b => (byte)b)]);

    private static readonly HashSet<string> Ignored =
    [
        "FLAGGA", "PROGRAM", "GEN", "PROSA", "FTYP", "FNR", "ORGNR", "BKOD", "ADRESS", "FNAMN", "TAXAR", "OMFATTN", "KPTYP", "VALUTA", "KTYP", "ENHET", "SRU",
        "IB", "UB", "OIB", "OUB", "RES", "RTRANS", "BTRANS", "KSUMMA", "PBUDGET", "PSALDO", "VER", "TRANS", "FORMAT", "SIETYP", "RAR", "KONTO", "DIM", "UNDERDIM", "OBJEKT",
    ];

    /// <summary>A field of a record: a plain token, a quoted text (unescaped on demand) or an object list between braces.</summary>
    private readonly ref struct Field(ReadOnlySpan<byte> bytes, bool quoted, bool list)
    {
        public ReadOnlySpan<byte> Bytes { get; } = bytes;

        public bool Quoted { get; } = quoted;

        public bool List { get; } = list;

        public string Text() => Decode(Bytes, Quoted);

        /// <summary>The text as a message echoes it, cut (finding 10c).</summary>
        public string Echo() => ProblemLog.Echo(Text());
    }

    /// <summary>
    /// Reads <paramref name="content"/>, handing each amount of year 0 to <paramref name="amount"/> and adding each
    /// problem to <paramref name="problems"/> (Row = line). <paramref name="costCentreDimension"/> is the SIE dimension
    /// whose object is the row's cost centre. <paramref name="into"/> is filled as the file is read, so that the
    /// handler can name an account or object declared before its row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static SieFile Read(ReadOnlySpan<byte> content, int costCentreDimension, Action<SieAmount> amount, ProblemLog problems, SieFile? into = null)
    {
        var file = into ?? new SieFile();
        var years = new Dictionary<int, (DateOnly Start, DateOnly End)>();
        var line = 0;
        var position = 0;
        var voucherLine = 0;
        var voucherOpen = false;
        var voucherExpected = false;
        Int128 voucherSum = 0;
        var voucherDate = default(DateOnly);
        var voucherName = "";
        var fields = new List<(int Start, int Length, bool Quoted, bool List)>(8);
        while (position < content.Length)
        {
            line++;
            var rest = content[position..];
            var end = rest.IndexOf((byte)'\n');
            var raw = end < 0 ? rest : rest[..end];
            position += end < 0 ? rest.Length : end + 1;
            if (raw.Length > 0 && raw[^1] == '\r')
            {
                raw = raw[..^1];
            }

            void Problem(string message) => problems.Add(new ImportProblem(line, null, message));

            if (raw.IndexOfAny(High) >= 0 && Charset(raw) is { } wrong)
            {
                Problem(wrong);
            }

            var text = raw.Trim(" \t"u8);
            if (text.IsEmpty)
            {
                continue;
            }

            if (text[0] == (byte)'{' && text.Length == 1)
            {
                if (!voucherExpected)
                {
                    Problem("En { står utan en #VER före sig.");
                }
                else
                {
                    (voucherOpen, voucherExpected, voucherSum) = (true, false, Int128.Zero);
                }

                continue;
            }

            if (text[0] == (byte)'}' && text.Length == 1)
            {
                if (!voucherOpen)
                {
                    Problem("En } står utan en öppnad verifikation.");
                    continue;
                }

                voucherOpen = false;
                if (voucherSum != 0)
                {
                    problems.Add(new ImportProblem(voucherLine, null,
                        $"Verifikationen {voucherName} är inte i balans: transaktionerna summerar till {Kronor(voucherSum)} kr, inte 0."));
                }

                continue;
            }

            if (text[0] != (byte)'#')
            {
                Problem("Raden är ingen SIE-post: den börjar inte med # (eller är en ensam { eller }).");
                continue;
            }

            var labelEnd = text.IndexOfAny(" \t"u8);
            var labelBytes = labelEnd < 0 ? text[1..] : text[1..labelEnd];
            var body = labelEnd < 0 ? [] : text[labelEnd..];
            if (Split(body, fields) is { } malformed)
            {
                Problem(malformed);
                continue;
            }

            Field F(ReadOnlySpan<byte> b, int i) => i < fields.Count ? new Field(b.Slice(fields[i].Start, fields[i].Length), fields[i].Quoted, fields[i].List) : default;

            if (voucherExpected)
            {
                Problem($"Verifikationen {voucherName} på rad {voucherLine} saknar sin {{ på raden efter.");
                voucherExpected = false;
            }

            // The hot records first, compared as bytes: a million of them make a file.
            if (labelBytes.SequenceEqual("TRANS"u8))
            {
                if (!voucherOpen)
                {
                    Problem("#TRANS står utanför en verifikation (#VER { … }).");
                    continue;
                }

                file.Transactions++;
                if (fields.Count < 3 || !fields[1].List)
                {
                    Problem("#TRANS ska ha konto, objektlista {…} och belopp.");
                    continue;
                }

                var account = Account(F(body, 0).Bytes);
                var ore = Amount(F(body, 2).Bytes);
                if (account is null || ore is null)
                {
                    Problem(account is null ? $"Kontot ”{F(body, 0).Echo()}” är inget kontonummer." : AmountProblem(F(body, 2)));
                    continue;
                }

                voucherSum += ore.Value;
                var date = voucherDate;
                if (fields.Count > 3 && F(body, 3).Bytes.Length > 0)
                {
                    if (Date(F(body, 3).Bytes) is { } own)
                    {
                        date = own;
                    }
                    else
                    {
                        Problem($"Transaktionsdatumet ”{F(body, 3).Echo()}” är inget datum (ÅÅÅÅMMDD).");
                        continue;
                    }
                }

                var centre = Objects(F(body, 1).Bytes, costCentreDimension, file, problems, line, out var objectsOk);
                if (!objectsOk)
                {
                    continue;
                }

                if (years.TryGetValue(0, out var y0) && (date < y0.Start || date > y0.End))
                {
                    Problem($"Datumet {date:yyyy-MM-dd} ligger utanför räkenskapsåret {y0.Start:yyyy-MM-dd}–{y0.End:yyyy-MM-dd}.");
                    continue;
                }

                if (date != default)
                {
                    amount(new SieAmount(line, SieAmountKind.Transaction, date.Month, account.Value, centre, ore.Value));
                }

                continue;
            }

            var isBudget = labelBytes.SequenceEqual("PBUDGET"u8);
            if (isBudget || labelBytes.SequenceEqual("PSALDO"u8))
            {
                var name = isBudget ? "#PBUDGET" : "#PSALDO";
                if (isBudget)
                {
                    file.BudgetRows++;
                }
                else
                {
                    file.BalanceRows++;
                }

                if (fields.Count < 5 || !fields[3].List)
                {
                    Problem($"{name} ska ha årsnummer, period (ÅÅÅÅMM), konto, objektlista {{…}} och belopp.");
                    continue;
                }

                var yearNo = Int(F(body, 0).Bytes);
                var period = Int(F(body, 1).Bytes);
                var account = Account(F(body, 2).Bytes);
                var ore = Amount(F(body, 4).Bytes);
                if (yearNo is null || period is null || account is null || ore is null)
                {
                    Problem(yearNo is null ? $"Årsnumret ”{F(body, 0).Echo()}” är inget heltal (0, -1 …)."
                        : period is null ? $"Perioden ”{F(body, 1).Echo()}” är ingen period (ÅÅÅÅMM)."
                        : account is null ? $"Kontot ”{F(body, 2).Echo()}” är inget kontonummer."
                        : AmountProblem(F(body, 4)));
                    continue;
                }

                var centre = Objects(F(body, 3).Bytes, costCentreDimension, file, problems, line, out var objectsOk);
                if (!objectsOk)
                {
                    continue;
                }

                // A year of five digits or more is no year (and would throw in DateOnly): a named problem, finding 10a.
                var (py, pm) = (period.Value / 100, period.Value % 100);
                if (pm is < 1 or > 12 || py is < 1900 or > 9999)
                {
                    Problem($"Perioden {period} är ingen månad (ÅÅÅÅMM).");
                    continue;
                }

                if (!years.TryGetValue(yearNo.Value, out var range))
                {
                    Problem($"Årsnummer {yearNo} har ingen #RAR före raden.");
                    continue;
                }

                var month = new DateOnly(py, pm, 1);
                if (month < new DateOnly(range.Start.Year, range.Start.Month, 1) || month > range.End)
                {
                    Problem($"Perioden {period} ligger utanför räkenskapsår {yearNo} ({range.Start:yyyy-MM-dd}–{range.End:yyyy-MM-dd}).");
                    continue;
                }

                // Every row of year 0 is handed on with how many objects it names: a row without objects is the
                // account's total, one of several objects a finer breakdown; the import decides which to count so that
                // nothing is counted twice and nothing dropped silently (finding 12).
                if (yearNo == 0)
                {
                    amount(new SieAmount(line, isBudget ? SieAmountKind.Budget : SieAmountKind.PeriodBalance, pm, account.Value, centre, ore.Value, CountObjects(F(body, 3).Bytes)));
                }

                continue;
            }

            var label = Encoding.ASCII.GetString(labelBytes);
            switch (label)
            {
                case "VER":
                    if (voucherOpen)
                    {
                        Problem($"Verifikationen på rad {voucherLine} är inte stängd med }} före nästa #VER.");
                        voucherOpen = false;
                    }

                    file.Vouchers++;
                    voucherLine = line;
                    voucherName = fields.Count > 1 ? ProblemLog.Echo($"{F(body, 0).Text()} {F(body, 1).Text()}".Trim()) : "";
                    voucherExpected = true;
                    if (fields.Count < 3 || Date(F(body, 2).Bytes) is not { } verDate)
                    {
                        Problem("#VER ska ha serie, nummer och datum (ÅÅÅÅMMDD).");
                        voucherDate = default;
                    }
                    else
                    {
                        voucherDate = verDate;
                    }

                    break;
                case "FORMAT":
                    file.HasFormat = true;
                    if (!F(body, 0).Bytes.SequenceEqual("PC8"u8))
                    {
                        Problem($"#FORMAT ska vara PC8 (IBM PC 8 bitars teckenkod), inte ”{F(body, 0).Echo()}”.");
                    }

                    break;
                case "SIETYP":
                    file.Type = Int(F(body, 0).Bytes);
                    if (file.Type is not (>= 1 and <= 4))
                    {
                        Problem($"#SIETYP ska vara 1, 2, 3 eller 4, inte ”{F(body, 0).Echo()}”.");
                    }

                    break;
                case "RAR":
                    if (fields.Count < 3 || Int(F(body, 0).Bytes) is not { } no || Date(F(body, 1).Bytes) is not { } start || Date(F(body, 2).Bytes) is not { } stop || stop < start)
                    {
                        Problem("#RAR ska ha årsnummer, startdatum och slutdatum (ÅÅÅÅMMDD).");
                        break;
                    }

                    years[no] = (start, stop);
                    if (no == 0)
                    {
                        file.Line0 = line;
                        file.Year = start.Year;
                        if (start != new DateOnly(start.Year, 1, 1) || stop != new DateOnly(start.Year, 12, 31))
                        {
                            Problem($"Räkenskapsåret {start:yyyy-MM-dd}–{stop:yyyy-MM-dd} är inget kalenderår. Kedja följer upp kalenderår.");
                        }
                    }

                    break;
                case "PROGRAM":
                    file.Program = fields.Count > 0 ? $"{F(body, 0).Text()} {(fields.Count > 1 ? F(body, 1).Text() : "")}".Trim() : null;
                    break;
                case "FNAMN":
                    file.Company = fields.Count > 0 ? F(body, 0).Text() : null;
                    break;
                case "KONTO":
                    if (fields.Count < 1 || Account(F(body, 0).Bytes) is not { } konto)
                    {
                        Problem("#KONTO ska ha ett kontonummer och ett namn.");
                        break;
                    }

                    file.Accounts[konto] = fields.Count > 1 ? F(body, 1).Text() : "";
                    break;
                case "DIM":
                case "UNDERDIM":
                    if (fields.Count < 2 || Int(F(body, 0).Bytes) is not { } dim)
                    {
                        Problem($"#{label} ska ha dimensionsnummer och namn.");
                        break;
                    }

                    file.Dimensions[dim] = F(body, 1).Text();
                    break;
                case "OBJEKT":
                    if (fields.Count < 2 || Int(F(body, 0).Bytes) is not { } objectDim)
                    {
                        Problem("#OBJEKT ska ha dimensionsnummer, objektkod och namn.");
                        break;
                    }

                    file.Objects[(objectDim, F(body, 1).Text())] = fields.Count > 2 ? F(body, 2).Text() : "";
                    break;
                case "IB" or "UB" or "RES" or "OIB" or "OUB":
                    // Balances are not budget or outcome of a month; their fields are still checked.
                    var amountAt = label is "OIB" or "OUB" ? 3 : 2;
                    if (fields.Count <= amountAt || Int(F(body, 0).Bytes) is null || Account(F(body, 1).Bytes) is null || Amount(F(body, amountAt).Bytes) is null)
                    {
                        Problem($"#{label} ska ha årsnummer, konto{(amountAt == 3 ? ", objektlista" : "")} och belopp.");
                    }

                    break;
                default:
                    if (!Ignored.Contains(label))
                    {
                        Problem($"Okänd post #{ProblemLog.Echo(Decode(labelBytes, false))}. Kontrollera stavningen; Kedja läser bara posterna i SIE typ 4.");
                    }

                    break;
            }
        }

        file.Lines = line;
        if (voucherOpen || voucherExpected)
        {
            problems.Add(new ImportProblem(voucherLine, null, $"Verifikationen {voucherName} stängs aldrig med }}."));
        }

        if (!file.HasFormat)
        {
            problems.Add(new ImportProblem(0, null, "Filen saknar #FORMAT PC8. En SIE-fil ska tala om sin teckenkod, och Kedja läser bara PC8."));
        }

        if (file.Year is null)
        {
            problems.Add(new ImportProblem(0, null, "Filen saknar #RAR 0, så det går inte att veta vilket år den gäller."));
        }

        return file;
    }

    /// <summary>Why a line's bytes are no IBM PC 8 text, or null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string? Charset(ReadOnlySpan<byte> raw)
    {
        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (b == 0xC3 && i + 1 < raw.Length && raw[i + 1] is >= 0x80 and <= 0xBF)
            {
                return "Raden har tecken i UTF-8 (som å, ä, ö), men filen ska vara i teckenkoden PC8 (IBM PC 8, kodsida 437). Exportera filen igen med PC8.";
            }

            // Windows-1252 å ä ö Å Ä Ö are σ Σ ÷ ┼ ─ ╓ in PC8: characters no account or cost centre has.
            if (b is 0xE5 or 0xE4 or 0xF6 or 0xC5 or 0xC4 or 0xD6)
            {
                return "Raden har tecken i Windows-1252 (som å, ä, ö), men filen ska vara i teckenkoden PC8 (IBM PC 8, kodsida 437). Exportera filen igen med PC8.";
            }
        }

        return null;
    }

    /// <summary>Splits a record's fields; a message for a quote or brace that is not closed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string? Split(ReadOnlySpan<byte> body, List<(int Start, int Length, bool Quoted, bool List)> fields)
    {
        fields.Clear();
        var i = 0;
        while (i < body.Length)
        {
            var b = body[i];
            if (b is (byte)' ' or (byte)'\t')
            {
                i++;
                continue;
            }

            if (b == '"')
            {
                var start = ++i;
                while (i < body.Length && body[i] != '"')
                {
                    i += body[i] == '\\' ? 2 : 1;
                }

                if (i >= body.Length)
                {
                    return "Ett citattecken (\") stängs aldrig på raden.";
                }

                fields.Add((start, i - start, true, false));
                i++;
            }
            else if (b == '{')
            {
                var start = ++i;
                var quoted = false;
                while (i < body.Length && (quoted || body[i] != '}'))
                {
                    if (body[i] == '"')
                    {
                        quoted = !quoted;
                    }
                    else if (body[i] == '\\' && quoted)
                    {
                        i++;
                    }

                    i++;
                }

                if (i >= body.Length)
                {
                    return quoted ? "Ett citattecken (\") i objektlistan stängs aldrig." : "Objektlistan ({ …) stängs aldrig med }.";
                }

                fields.Add((start, i - start, false, true));
                i++;
            }
            else
            {
                var start = i;
                while (i < body.Length && body[i] is not ((byte)' ' or (byte)'\t' or (byte)'"' or (byte)'{'))
                {
                    i++;
                }

                fields.Add((start, i - start, false, false));
            }
        }

        return null;
    }

    /// <summary>
    /// Checks an object list's pairs (dimension, object) against the declared objects and gives the cost centre's
    /// code; <paramref name="ok"/> is false after a problem.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string? Objects(ReadOnlySpan<byte> list, int dimension, SieFile file, ProblemLog problems, int line, out bool ok)
    {
        ok = true;
        string? centre = null;
        var i = 0;
        while (true)
        {
            var dim = Token(list, ref i, out _);
            if (dim.IsEmpty)
            {
                return centre;
            }

            var code = Token(list, ref i, out var quoted);
            if (Int(dim) is not { } d || (code.IsEmpty && !quoted))
            {
                problems.Add(new ImportProblem(line, null, "Objektlistan ska bestå av par av dimensionsnummer och objektkod, som {1 \"100\"}."));
                ok = false;
                return null;
            }

            var text = Decode(code, quoted);
            if (!file.Objects.ContainsKey((d, text)))
            {
                problems.Add(new ImportProblem(line, null, $"Objektet ”{ProblemLog.Echo(text)}” i dimension {d} är inte deklarerat med #OBJEKT."));
                ok = false;
                return null;
            }

            if (d == dimension)
            {
                centre = text;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int CountObjects(ReadOnlySpan<byte> list)
    {
        var (i, n) = (0, 0);
        while (!Token(list, ref i, out _).IsEmpty)
        {
            Token(list, ref i, out _);
            n++;
        }

        return n;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ReadOnlySpan<byte> Token(ReadOnlySpan<byte> list, ref int i, out bool quoted)
    {
        quoted = false;
        while (i < list.Length && list[i] is (byte)' ' or (byte)'\t')
        {
            i++;
        }

        if (i >= list.Length)
        {
            return [];
        }

        if (list[i] == '"')
        {
            quoted = true;
            var start = ++i;
            while (i < list.Length && list[i] != '"')
            {
                i += list[i] == '\\' ? 2 : 1;
            }

            var token = list[start..Math.Min(i, list.Length)];
            i++;
            return token;
        }

        var from = i;
        while (i < list.Length && list[i] is not ((byte)' ' or (byte)'\t'))
        {
            i++;
        }

        return list[from..i];
    }

    private static string Decode(ReadOnlySpan<byte> bytes, bool quoted)
    {
        // Codes and numbers are mostly ASCII, which code page 437 shares: the fast, vectorised decoder reads those.
        var text = bytes.IndexOfAny(High) < 0 ? Encoding.Latin1.GetString(bytes) : Pc8.GetString(bytes);
        return quoted && text.Contains('\\') ? text.Replace("\\\"", "\"").Replace("\\\\", "\\") : text;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int? Int(ReadOnlySpan<byte> b)
    {
        if (b.IsEmpty || b.Length > 9)
        {
            return null;
        }

        var negative = b[0] == '-';
        var n = 0;
        for (var i = negative ? 1 : 0; i < b.Length; i++)
        {
            if (b[i] is < (byte)'0' or > (byte)'9')
            {
                return null;
            }

            n = (n * 10) + (b[i] - '0');
        }

        return negative ? (b.Length == 1 ? null : -n) : n;
    }

    private static int? Account(ReadOnlySpan<byte> b) => Int(b) is > 0 and var n ? n : null;

    /// <summary>The most digits before the decimal point: a trillion kronor and more is no municipal amount, and 15 digits of öre sum in a long without wrapping.</summary>
    public const int MaxAmountDigits = 15;

    /// <summary>
    /// An amount as the specification writes it ("1234.50", "-99", decimal point, at most two decimals) in öre; null
    /// for one malformed or of more than <see cref="MaxAmountDigits"/> digits before the point (finding 10b).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long? Amount(ReadOnlySpan<byte> b)
    {
        if (b.IsEmpty || b.Length > MaxAmountDigits + 4)
        {
            return null;
        }

        var negative = b[0] == '-';
        var i = negative ? 1 : 0;
        long whole = 0;
        var digits = 0;
        for (; i < b.Length && b[i] != '.'; i++, digits++)
        {
            if (b[i] is < (byte)'0' or > (byte)'9')
            {
                return null;
            }

            whole = (whole * 10) + (b[i] - '0');
        }

        long fraction = 0;
        if (i < b.Length)
        {
            var decimals = b.Length - i - 1;
            if (decimals is < 1 or > 2)
            {
                return null;
            }

            for (var j = i + 1; j < b.Length; j++)
            {
                if (b[j] is < (byte)'0' or > (byte)'9')
                {
                    return null;
                }

                fraction = (fraction * 10) + (b[j] - '0');
            }

            fraction *= decimals == 1 ? 10 : 1;
        }

        if (digits is 0 or > MaxAmountDigits)
        {
            return null;
        }

        var ore = (whole * 100) + fraction;
        return negative ? -ore : ore;
    }

    /// <summary>Why an amount field is refused: too many digits, or no amount at all.</summary>
    private static string AmountProblem(Field field)
    {
        var digits = field.Bytes.TrimStart("-"u8);
        var point = digits.IndexOf((byte)'.');
        var whole = point < 0 ? digits : digits[..point];
        return whole.Length > MaxAmountDigits && whole.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0
            ? $"Beloppet ”{field.Echo()}” har fler än {MaxAmountDigits} siffror före decimaltecknet och är för stort för att vara ett belopp."
            : $"Beloppet ”{field.Echo()}” är inget belopp (som 1234.50 eller -99).";
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static DateOnly? Date(ReadOnlySpan<byte> b)
    {
        if (b.Length != 8 || Int(b) is not { } n || n <= 0)
        {
            return null;
        }

        var (year, month, day) = (n / 10000, n / 100 % 100, n % 100);
        return year >= 1900 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month) ? new DateOnly(year, month, day) : null;
    }

    /// <summary>Öre as kronor the way a Swedish reader writes them: "1 234,50".</summary>
    public static string Kronor(long ore) => (ore / 100m).ToString("#,0.00", Domain.SwedishFormat.Culture);

    /// <summary>A voucher's sum, kept in 128 bits so that no sum of amounts within <see cref="MaxAmountDigits"/> wraps to 0 (finding 10b).</summary>
    private static string Kronor(Int128 ore) => ((decimal)ore / 100m).ToString("#,0.00", Domain.SwedishFormat.Culture);
}
