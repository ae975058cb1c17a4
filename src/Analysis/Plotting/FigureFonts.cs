using ScottPlot;

namespace FourierRepro.Analysis.Plotting;

// ScottPlot draws no text at all when the machine has no fonts installed, so the project ships DejaVu Sans
// (data/fonts, copied next to the executable) and registers it as every default family.
public static class FigureFonts
{
    public const string Family = "DejaVu Sans";
    static readonly Lock Gate = new();
    static bool loaded;

    public static void Load()
    {
        lock (Gate)
        {
            if (loaded) return;
            var folder = Path.Combine(AppContext.BaseDirectory, "fonts");
            var regular = Path.Combine(folder, "DejaVuSans.ttf");
            if (!File.Exists(regular)) throw new FileNotFoundException($"the plotting font is missing: {regular} (it is copied from data/fonts at build time)");
            Fonts.AddFontFile(Family, regular, bold: false, italic: false);
            Fonts.AddFontFile(Family, regular, bold: true, italic: false); // no bold face shipped: titles use the regular one
            Fonts.Default = Family;
            Fonts.Sans = Family;
            Fonts.Serif = Family;
            Fonts.Monospace = Family;
            loaded = true;
        }
    }
}
