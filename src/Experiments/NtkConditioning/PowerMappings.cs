using System.Globalization;
using FourierRepro.Experiments.Core;

namespace FourierRepro.Experiments.NtkConditioning;

// Tancik et al.'s 1D mappings by name, as the configurations and the recorded labels spell them: "none" (input
// x − 0.5, as the 1d_regression notebook feeds it) and "p=<power>" (a_j = j^−p, b_j = j, j = 1..n, divided by ‖a‖;
// "p=inf" is a = e₁). Powers are strings in the configuration because JSON has no infinity.
public static class PowerMappings
{
    public const string None = "none";

    public static bool TryParsePower(string name, out double p)
    {
        p = double.NaN;
        if (!name.StartsWith("p=", StringComparison.Ordinal)) return false;
        var text = name[2..];
        if (text is "inf" or "∞") { p = double.PositiveInfinity; return true; }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out p) && double.IsFinite(p) && p >= 0;
    }

    public static bool IsValid(string name) => name == None || TryParsePower(name, out _);

    public static string Name(double p) => double.IsPositiveInfinity(p) ? "p=inf" : "p=" + p.ToString(CultureInfo.InvariantCulture);

    public static InputMapping Create(string name, int frequencies)
    {
        if (name == None) return InputMapping.None(1, offset: 0.5);
        if (TryParsePower(name, out var p)) return InputMapping.PowerLaw1D(frequencies, p);
        throw new ConfigException($"unknown mapping '{name}' (known: {None}, p=<power ≥ 0>, p=inf)");
    }
}
