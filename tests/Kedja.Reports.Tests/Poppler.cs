using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Kedja.Reports.Tests;

/// <summary>
/// Reads a PDF back with Debian's poppler-utils (pdftotext, pdffonts, pdfinfo, pdftoppm), as a person's viewer would
/// see it. CI installs the package (.ci/run); a machine without it fails the PDF tests with a message saying so.
/// </summary>
public static class Poppler
{
    /// <summary>Where the PDFs and page images of the tests are kept to be looked at: $TMPDIR/kedja-reports.</summary>
    public static string Folder
    {
        get
        {
            var folder = Path.Combine(Path.GetTempPath(), "kedja-reports");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    public static string Save(byte[] pdf, string name)
    {
        var path = Path.Combine(Folder, "pdf-" + name + ".pdf");
        File.WriteAllBytes(path, pdf);
        return path;
    }

    /// <summary>The text of the pages from <paramref name="first"/> to <paramref name="last"/> (all when null) in their layout, no-break spaces as spaces.</summary>
    public static string Text(string pdf, int? first = null, int? last = null)
    {
        var args = new List<string> { "-layout", "-enc", "UTF-8" };
        if (first is { } f)
        {
            args.AddRange(["-f", f.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        if (last is { } l)
        {
            args.AddRange(["-l", l.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        args.AddRange([pdf, "-"]);
        return Run("pdftotext", args).Replace('\u00a0', ' ');
    }

    /// <summary>Each page's text; pdftotext ends every page with a form feed.</summary>
    public static List<string> Pages(string pdf)
    {
        var pages = Text(pdf).Split('\f').ToList();
        if (pages.Count > 0 && pages[^1].Trim().Length == 0)
        {
            pages.RemoveAt(pages.Count - 1);
        }

        return pages;
    }

    public static string Fonts(string pdf) => Run("pdffonts", [pdf]);

    public static string Info(string pdf) => Run("pdfinfo", [pdf]);

    /// <summary>PNG images of the pages at 60 dpi beside the PDF: prefix-1.png ... (pdftoppm pads the number to the page count's width).</summary>
    public static List<string> Images(string pdf, int first, int last, string prefix)
    {
        prefix = "pdf-" + prefix;
        var root = Path.Combine(Folder, prefix);
        foreach (var old in Files(prefix))
        {
            File.Delete(old);
        }

        Run("pdftoppm", ["-png", "-r", "60", "-f", first.ToString(System.Globalization.CultureInfo.InvariantCulture), "-l", last.ToString(System.Globalization.CultureInfo.InvariantCulture), pdf, root]);
        return Files(prefix);
    }

    private static List<string> Files(string prefix) =>
        [.. Directory.GetFiles(Folder, prefix + "-*.png").Where(f => Regex.IsMatch(Path.GetFileName(f), "^" + Regex.Escape(prefix) + @"-\d+\.png$")).Order()];

    private static string Run(string tool, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException(tool + " did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                $"{tool} is missing: the PDF tests read the PDF back with Debian's poppler-utils. Install it with `apt-get install poppler-utils` (.ci/run does).", e);
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            // Poppler reads past a damaged stream with only a warning: a damaged PDF fails the test all the same.
            if (process.ExitCode != 0 || stderr.Result.Contains("Error", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {stderr.Result}");
            }

            return output;
        }
    }
}
