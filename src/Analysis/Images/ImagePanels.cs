using FourierRepro.Analysis.Plotting;
using ScottPlot;
using SkiaSharp;

namespace FourierRepro.Analysis.Images;

public static class ImagePanels
{
    // A panel showing an RGB image ([size, size, 3] in [0, 1], row 0 at the top), pixels drawn as squares
    // (no smoothing: a 64-pixel image should look like 64 pixels), with a title and no axes.
    public static Plot Image(string title, int size, double[] rgb) => Pixels(title, size, size, (r, c) =>
    {
        int i = (r * size + c) * 3;
        return new SKColor(Byte(rgb[i]), Byte(rgb[i + 1]), Byte(rgb[i + 2]));
    });

    // A grey panel of values[row, col] (row-major, rows × cols, row 0 at the top) mapped linearly from [min, max] to
    // black–white, pixels drawn as squares; for images that are not square (a sinogram) or not RGB (a CT slice).
    public static Plot Grey(string title, int rows, int cols, double[] values, double min = 0, double max = 1)
    {
        double span = max > min ? max - min : 1;
        return Pixels(title, rows, cols, (r, c) =>
        {
            byte g = Byte((values[r * cols + c] - min) / span);
            return new SKColor(g, g, g);
        });
    }

    // rows × cols pixels of the given colours as an unsmoothed image with a title, no axes and square units.
    static Plot Pixels(string title, int rows, int cols, Func<int, int, SKColor> colour)
    {
        var plot = Plots.NewPlot(title, "", "");
        using var bitmap = new SKBitmap(cols, rows, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) bitmap.SetPixel(c, r, colour(r, c));
        var image = plot.Add.ImageRect(new ScottPlot.Image(bitmap), new CoordinateRect(0, cols, 0, rows));
        image.AntiAlias = false;
        plot.Layout.Frameless();
        plot.HideGrid();
        plot.Axes.SquareUnits();
        plot.Axes.SetLimits(0, cols, 0, rows);
        plot.Axes.Title.IsVisible = true;
        return plot;
    }

    static byte Byte(double v) => (byte)Math.Round(255 * Math.Clamp(v, 0, 1));
}
