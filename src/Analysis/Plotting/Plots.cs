using ScottPlot;

namespace FourierRepro.Analysis.Plotting;

public static class Plots
{
    public static readonly Color[] Palette = new ScottPlot.Palettes.Category10().Colors;

    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        FigureFonts.Load();
        var plot = new Plot();
        plot.Title(title, 15);
        plot.XLabel(xLabel, 13);
        plot.YLabel(yLabel, 13);
        return plot;
    }

    // A heat-map of values[row, col] with rows along y (row 0 at yValues[0], drawn at the bottom) and columns
    // along x, clipped to [min, max], with a labelled colour bar.
    public static Plot Heatmap(string title, string xLabel, string yLabel, double[,] values, double[] xValues, double[] yValues,
        double min, double max, string colorbarLabel, IColormap? colormap = null)
    {
        var plot = NewPlot(title, xLabel, yLabel);
        int rows = values.GetLength(0), cols = values.GetLength(1);
        // ScottPlot draws row 0 at the top: flip so that y grows upwards.
        var flipped = new double[rows, cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                flipped[rows - 1 - r, c] = Math.Clamp(values[r, c], min, max);
        var hm = plot.Add.Heatmap(flipped);
        hm.Colormap = colormap ?? new ScottPlot.Colormaps.Viridis();
        hm.ManualRange = new ScottPlot.Range(min, max);
        // With the default (centred) cell alignment, Extent spans the centres of the first and last cells.
        hm.Extent = new CoordinateRect(xValues[0], xValues[^1], yValues[0], yValues[^1]);
        if (cols <= 16)
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(xValues, xValues.Select(v => v.ToString("G4")).ToArray());
        var bar = plot.Add.ColorBar(hm);
        bar.Label = colorbarLabel;
        bar.LabelStyle.FontSize = 13;
        plot.Axes.Margins(0, 0);
        return plot;
    }
}
