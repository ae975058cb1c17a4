using System.Globalization;
using System.Text;
using ScottPlot;
using SkiaSharp;

namespace FourierRepro.Analysis.Plotting;

// Saves one or more ScottPlot panels as one figure, PNG and SVG, in a grid of `columns` panels.
public static class FigureWriter
{
    public const int PanelWidth = 640, PanelHeight = 480;

    public static (string Png, string Svg) Save(string pathWithoutExtension, IReadOnlyList<Plot> panels, int columns = 0,
        int panelWidth = PanelWidth, int panelHeight = PanelHeight)
    {
        FigureFonts.Load();
        if (panels.Count == 0) throw new ArgumentException("a figure needs at least one panel");
        if (columns <= 0) columns = Math.Min(panels.Count, 3);
        int rows = (panels.Count + columns - 1) / columns;
        int width = columns * panelWidth, height = rows * panelHeight;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(pathWithoutExtension))!);

        var png = pathWithoutExtension + ".png";
        using (var surface = SKSurface.Create(new SKImageInfo(width, height)))
        {
            surface.Canvas.Clear(SKColors.White);
            // Each panel on its own surface first: Plot.Render clears the whole canvas it is given.
            for (int i = 0; i < panels.Count; i++)
            {
                using var panelSurface = SKSurface.Create(new SKImageInfo(panelWidth, panelHeight));
                panels[i].Render(panelSurface);
                using var panelImage = panelSurface.Snapshot();
                surface.Canvas.DrawImage(panelImage, i % columns * panelWidth, i / columns * panelHeight);
            }
            using var image = surface.Snapshot();
            using var data = image.Encode(SKEncodedImageFormat.Png, 100);
            using var file = File.Create(png);
            data.SaveTo(file);
        }

        // SVG: each panel's own SVG nested at its offset (nested <svg> elements are valid SVG 1.1).
        var svg = pathWithoutExtension + ".svg";
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">");
        sb.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        for (int i = 0; i < panels.Count; i++)
        {
            var panel = panels[i];
            var inner = NativeStderr.Silenced(() => panel.GetSvgXml(panelWidth, panelHeight));
            int start = inner.IndexOf("<svg", StringComparison.Ordinal);
            if (start > 0) inner = inner[start..];
            inner = inner.Replace("<svg ", $"<svg x=\"{i % columns * panelWidth}\" y=\"{i / columns * panelHeight}\" ");
            sb.Append(inner);
        }
        sb.Append("</svg>");
        File.WriteAllText(svg, sb.ToString());
        return (png, svg);
    }
}
