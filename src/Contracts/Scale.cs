namespace FourierRepro.Contracts;

// The three scales, defined once: the experiments plan by them, the database stores their lowercase names, the
// analysis reads them back.
public enum Scale { Smoke, Standard, Paper }

public static class ScaleNames
{
    public static readonly string[] All = Enum.GetValues<Scale>().Select(Name).ToArray();

    public static string Name(this Scale scale) => scale.ToString().ToLowerInvariant();

    public static bool TryParse(string? text, out Scale scale) =>
        Enum.TryParse(text, ignoreCase: true, out scale) && Enum.IsDefined(scale) && !int.TryParse(text, out _);
}
