using System.Text;
using Kedja.Web.Imports;

namespace Kedja.Web.Tests.Imports;

public sealed class CsvReadingTests
{
    private static readonly Encoding Windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;

    private static ImportTable Read(byte[] bytes, string name = "utfall.csv")
    {
        var result = ImportReader.Read(name, bytes);
        result.Error.ShouldBeNull();
        return result.Table.ShouldNotBeNull();
    }

    private static string Error(byte[] bytes, string name = "utfall.csv")
    {
        var result = ImportReader.Read(name, bytes);
        result.Table.ShouldBeNull();
        return result.Error.ShouldNotBeNull();
    }

    private static string[] Texts(ImportLine line) => [.. line.Cells.Select(c => c.Text)];

    [Fact]
    public void Utf8_without_bom_with_semicolons_and_decimal_commas_is_read_with_row_numbers()
    {
        var table = Read(Encoding.UTF8.GetBytes("Enhet;Indikator;Period;Utfall\nÄldreomsorg;Nöjdhet;2025;87,5\nSkola;Behörighet;2025;91\n"));

        table.Format.ShouldBe("csv");
        table.Encoding.ShouldBe("UTF-8");
        table.Separator.ShouldBe(';');
        table.HeaderRow.ShouldBe(1);
        table.Header.ShouldBe(["Enhet", "Indikator", "Period", "Utfall"]);
        table.Lines.Count.ShouldBe(2);
        table.Lines[0].Row.ShouldBe(2);
        Texts(table.Lines[0]).ShouldBe(["Äldreomsorg", "Nöjdhet", "2025", "87,5"]);
        table.Lines[0].Cells[3].Number.ShouldBeNull();
        table.Lines[1].Row.ShouldBe(3);
        ImportNumbers.TryParse(table.Lines[0][3].Text, out var value).ShouldBeTrue();
        value.ShouldBe(87.5m);
    }

    [Fact]
    public void Utf8_with_bom_loses_the_bom_from_the_first_header()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("Enhet;Utfall män\r\nÅtvidaberg;1\r\n")).ToArray();

        var table = Read(bytes);

        table.Encoding.ShouldBe("UTF-8");
        table.Header.ShouldBe(["Enhet", "Utfall män"]);
        table.Header[0].Length.ShouldBe(5);
        table.Lines.Single().Row.ShouldBe(2);
        table.Lines.Single()[0].Text.ShouldBe("Åtvidaberg");
    }

    [Fact]
    public void Windows_1252_as_Swedish_Excel_writes_it_keeps_å_ä_ö()
    {
        var bytes = Windows1252.GetBytes("Enhet;Indikator;Målvärde\r\nÖstra skolan;Andel behöriga till gymnasiet;95,0\r\nÄngsgården;Måltidsnöjdhet;4,5\r\n");
        bytes.ShouldContain((byte)0xD6); // Ö as one byte: not UTF-8

        var table = Read(bytes);

        table.Encoding.ShouldBe("Windows-1252");
        table.Header.ShouldBe(["Enhet", "Indikator", "Målvärde"]);
        Texts(table.Lines[0]).ShouldBe(["Östra skolan", "Andel behöriga till gymnasiet", "95,0"]);
        Texts(table.Lines[1]).ShouldBe(["Ängsgården", "Måltidsnöjdhet", "4,5"]);
    }

    [Fact]
    public void Comma_separated_with_decimal_points_and_quoted_fields()
    {
        var csv = "Unit,Indicator,Period,Outcome,Comment\n" +
                  "\"Hälsa, vård och omsorg\",Sick leave,2025-T1,\"1,234.5\",\"Said \"\"high\"\", checked\"\n" +
                  "Schools,Grades,2025-T1,12.25,\n";

        var table = Read(Encoding.UTF8.GetBytes(csv));

        table.Separator.ShouldBe(',');
        table.Header.ShouldBe(["Unit", "Indicator", "Period", "Outcome", "Comment"]);
        Texts(table.Lines[0]).ShouldBe(["Hälsa, vård och omsorg", "Sick leave", "2025-T1", "1,234.5", "Said \"high\", checked"]);
        Texts(table.Lines[1]).ShouldBe(["Schools", "Grades", "2025-T1", "12.25"]); // the trailing empty cell is dropped
        table.Lines[1][4].ShouldBe(ImportCell.Empty);
        ImportNumbers.TryParse(table.Lines[0][3].Text, out var value).ShouldBeTrue();
        value.ShouldBe(1234.5m);
    }

    [Fact]
    public void Tab_separated_text_is_read()
    {
        var table = Read(Encoding.UTF8.GetBytes("Enhet\tPeriod\tUtfall\nBarn- och utbildning\t2025\t3,5\n"));

        table.Separator.ShouldBe('\t');
        Texts(table.Lines.Single()).ShouldBe(["Barn- och utbildning", "2025", "3,5"]);
    }

    [Fact]
    public void Separator_is_told_by_the_header_outside_quotes()
    {
        // Three commas inside the quoted header name, two semicolons outside: semicolon.
        var table = Read(Encoding.UTF8.GetBytes("\"Enhet, namn, kort, text\";Period;Utfall\nA;2025;1,5\n"));

        table.Separator.ShouldBe(';');
        table.Header.ShouldBe(["Enhet, namn, kort, text", "Period", "Utfall"]);
        Texts(table.Lines.Single()).ShouldBe(["A", "2025", "1,5"]);
    }

    [Fact]
    public void Excel_sep_line_names_the_separator_and_is_not_the_header()
    {
        var table = Read(Encoding.UTF8.GetBytes("sep=,\nEnhet,Utfall\nA,\"1,5\"\n"));

        table.Separator.ShouldBe(',');
        table.HeaderRow.ShouldBe(2);
        table.Header.ShouldBe(["Enhet", "Utfall"]);
        table.Lines.Single().Row.ShouldBe(3);
        Texts(table.Lines.Single()).ShouldBe(["A", "1,5"]);
    }

    [Fact]
    public void A_record_with_line_breaks_inside_quotes_keeps_the_line_it_starts_on_and_the_rows_after_it_move_on()
    {
        var csv = "Enhet;Kommentar;Utfall\r\n" +
                  "A;\"Första raden\r\nandra raden\r\ntredje\";1\r\n" +
                  "B;kort;2\r\n" +
                  "C;\"två\nrader\";3\r\n" +
                  "D;;4\r\n";

        var table = Read(Encoding.UTF8.GetBytes(csv));

        table.Lines.Select(l => l.Row).ShouldBe([2, 5, 6, 8]);
        table.Lines[0][1].Text.ShouldBe("Första raden\nandra raden\ntredje");
        table.Lines[2][1].Text.ShouldBe("två\nrader");
        Texts(table.Lines[3]).ShouldBe(["D", "", "4"]);
    }

    [Fact]
    public void Blank_lines_and_rows_of_only_separators_are_skipped_and_cells_trimmed()
    {
        var csv = "\n\n  Enhet ; Period ;Utfall;;\n\nA ;  2025;  7 \n;;;\n   \nB;2025;8\n\n";

        var table = Read(Encoding.UTF8.GetBytes(csv));

        table.HeaderRow.ShouldBe(3);
        table.Header.ShouldBe(["Enhet", "Period", "Utfall"]);
        table.Lines.Select(l => l.Row).ShouldBe([5, 8]);
        Texts(table.Lines[0]).ShouldBe(["A", "2025", "7"]);
        Texts(table.Lines[1]).ShouldBe(["B", "2025", "8"]);
    }

    [Fact]
    public void An_unterminated_quote_is_an_error_naming_its_line()
    {
        var csv = "Enhet;Kommentar;Utfall\nA;\"stängd\";1\nB;\"öppen;2\nC;x;3\nD;y;4\n";

        var error = Error(Encoding.UTF8.GetBytes(csv));

        error.ShouldStartWith("Rad 3:");
        error.ShouldContain("citattecken");
    }

    [Fact]
    public void Utf16_text_with_a_bom_as_Excel_saves_unicode_text()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("Enhet\tUtfall\nÖrebro\t5\n")).ToArray();

        var table = Read(bytes, "utfall.txt");

        table.Encoding.ShouldBe("UTF-16");
        table.Separator.ShouldBe('\t');
        Texts(table.Lines.Single()).ShouldBe(["Örebro", "5"]);
    }

    [Fact]
    public void The_hash_is_the_sha256_of_the_bytes_and_the_name_is_kept()
    {
        var bytes = Encoding.UTF8.GetBytes("Enhet;Utfall\nA;1\n");

        var table = Read(bytes, "mars.csv");

        table.FileName.ShouldBe("mars.csv");
        table.Hash.ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        table.Hash.Length.ShouldBe(64);
    }

    [Fact]
    public void A_file_with_only_a_header_says_so()
    {
        Error(Encoding.UTF8.GetBytes("Enhet;Period;Utfall\n\n;;\n")).ShouldBe("Filen har en rubrikrad men inga rader med värden under den.");
    }

    [Fact]
    public void An_empty_file_or_one_of_only_blank_lines_is_empty()
    {
        Error([]).ShouldBe("Filen är tom.");
        Error(Encoding.UTF8.GetBytes("\r\n  \r\n\t\n")).ShouldBe("Filen är tom.");
        Error(Encoding.UTF8.GetPreamble()).ShouldBe("Filen är tom.");
    }

    [Fact]
    public void An_old_binary_excel_file_is_named_as_such_whatever_its_name()
    {
        var xls = new byte[2048];
        byte[] signature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        signature.CopyTo(xls, 0);
        new Random(7).NextBytes(xls.AsSpan(512));

        Error(xls, "utfall.xls").ShouldBe("Filen är en äldre Excel-fil (.xls). Spara den som .xlsx eller CSV och försök igen.");
        Error(xls, "utfall.csv").ShouldBe("Filen är en äldre Excel-fil (.xls). Spara den som .xlsx eller CSV och försök igen.");
    }

    [Fact]
    public void Random_bytes_are_not_read_as_text()
    {
        var bytes = new byte[4096];
        new Random(11).NextBytes(bytes);
        bytes[0] = 0x41; // not a signature of anything

        Error(bytes, "utfall.csv").ShouldBe(
            "Filen går inte att läsa som CSV eller Excel. Välj en .xlsx-fil eller en CSV-fil (text med semikolon, komma eller tabb mellan kolumnerna).");
    }

    [Fact]
    public void A_web_page_saved_as_a_spreadsheet_is_named()
    {
        Error(Encoding.UTF8.GetBytes("<html><body><table><tr><td>Enhet</td></tr></table></body></html>"), "export.xls")
            .ShouldContain("webbsida");
    }

    [Fact]
    public void A_zip_that_is_not_a_workbook_and_a_damaged_workbook_get_their_own_messages()
    {
        using var buffer = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(buffer, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(zip.CreateEntry("utfall.csv").Open());
            writer.Write("Enhet;Utfall\nA;1\n");
        }

        Error(buffer.ToArray(), "utfall.zip").ShouldBe("Filen är en zip-fil men ingen Excel-arbetsbok. Välj en .xlsx-fil eller en CSV-fil.");

        using var template = new MemoryStream();
        ImportTemplate.Write(template, "Mall", []);
        var cut = template.ToArray()[..(int)(template.Length / 2)];
        Error(cut, "utfall.xlsx").ShouldBe("Excel-filen går inte att läsa. Den kan vara skadad. Öppna den i Excel, spara den igen och försök på nytt.");
    }

    [Fact]
    public void A_file_over_the_size_limit_is_refused_before_it_is_read()
    {
        var bytes = new byte[ImportReader.MaxBytes + 1];

        var error = Error(bytes);

        error.ShouldStartWith("Filen är för stor (50 MB).");
        error.ShouldContain("högst 50 MB");
    }

    [Fact]
    public void More_rows_than_the_limit_is_an_error()
    {
        var text = new StringBuilder("U\n");
        for (var i = 0; i <= ImportReader.MaxRows; i++)
        {
            text.Append("1\n");
        }

        Error(Encoding.ASCII.GetBytes(text.ToString())).ShouldBe("Filen har fler än 500\u00A0000 rader med värden. Dela upp den i flera filer och läs in dem en i taget.");

        // Exactly the limit is fine.
        var exactly = new StringBuilder("U\n").Insert(2, "1\n", ImportReader.MaxRows).ToString();
        Read(Encoding.ASCII.GetBytes(exactly)).Lines.Count.ShouldBe(ImportReader.MaxRows);
    }
}
