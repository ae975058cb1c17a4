using System.Globalization;

namespace FourierRepro.Contracts;

// Tancik et al.'s 1D mappings by name, as the configurations and the recorded labels spell them: "none" (input
// x − 0.5, as the 1d_regression notebook feeds it) and "p=<power>" (a_j = j^−p, b_j = j, j = 1..n, divided by ‖a‖;
// "p=inf" is a = e₁). Powers are strings in the configuration because JSON has no infinity. The one parser and
// formatter of these names, for the experiments (Validate, the mapping) and the analysis (p of a run) alike.
public static class PowerMappingNames
{
    public const string None = "none";
    public const string Infinity = "p=inf";

    // The powers of the paper's Fig. 2 and 3, p = 0 (narrowest kernel) to p = ∞ (widest).
    public static readonly string[] PaperPowers = ["p=0", "p=0.5", "p=1", "p=1.5", "p=2", Infinity];

    public static bool TryParsePower(string name, out double p)
    {
        p = double.NaN;
        if (!name.StartsWith("p=", StringComparison.Ordinal)) return false;
        var text = name[2..];
        if (text is "inf" or "∞") { p = double.PositiveInfinity; return true; }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out p) && double.IsFinite(p) && p >= 0;
    }

    public static bool IsValid(string name) => name == None || TryParsePower(name, out _);

    // p of a mapping: +∞ for p=inf, NaN for "none" (and for a name that is no power mapping).
    public static double Power(string name) => TryParsePower(name, out var p) ? p : double.NaN;

    public static string Name(double p) => double.IsPositiveInfinity(p) ? Infinity : "p=" + p.ToString(CultureInfo.InvariantCulture);
}
