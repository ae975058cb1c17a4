using System.Globalization;
using System.Text;

namespace FourierRepro.Experiments.Core;

// A one-column CSV signal: one number per line (invariant culture, '.' as the decimal point), an optional header line
// (a first line that is not a number), trailing blank lines ignored. Anything else — a second column, a value that is
// not a finite number, a blank line inside, fewer than `minimum` values — is refused with the file and line named,
// never guessed around.
public static class SignalFiles
{
    public static double[] Parse(byte[] bytes, string path, int minimum)
    {
        string text;
        try { text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF'); }
        catch (DecoderFallbackException) { throw new InputFileException($"signal file {path} is not text (UTF-8)"); }
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r').Trim()).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        if (lines.Count == 0) throw new InputFileException($"signal file {path} is empty");
        var values = new List<double>(lines.Count);
        for (int i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.IndexOfAny([',', ';', '\t']) >= 0)
                throw new InputFileException($"signal file {path} line {i + 1} has more than one column ('{Short(line)}'): one value per line is needed");
            if (i == 0 && !IsNumber(line)) continue; // a header line
            if (line.Length == 0) throw new InputFileException($"signal file {path} line {i + 1} is blank");
            if (!double.TryParse(line, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
                throw new InputFileException($"signal file {path} line {i + 1}: '{Short(line)}' is not a finite number");
            values.Add(v);
        }
        if (values.Count < minimum) throw new InputFileException($"signal file {path} has {values.Count} values: at least {minimum} are needed");
        return values.ToArray();
    }

    static bool IsNumber(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    static string Short(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
