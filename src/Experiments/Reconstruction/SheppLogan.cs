using FourierRepro.Experiments.Core;

namespace FourierRepro.Experiments.Reconstruction;

// Modified Shepp–Logan phantoms as the reference notebooks draw them (PAPERS-CT-MRI.md): the standard table of
// ellipses (2D) or ellipsoids (3D) with N(0, 1)·noise added to every entry, intensities of overlapping shapes
// summed, the image clipped to [0, 1]. The tables and the inside test are phantominator's (the notebooks call it):
// field of view [−1, 1] per axis, angles in radians, ellipsoids rotated in the x–y plane only.
public static class SheppLogan
{
    // [A, a, b, x0, y0, θ] per ellipse (phantominator ct_modified_shepp_logan_params_2d).
    public static readonly double[,] Modified2D =
    {
        { 1, 0.69, 0.92, 0, 0, 0 },
        { -0.8, 0.6624, 0.874, 0, -0.0184, 0 },
        { -0.2, 0.11, 0.31, 0.22, 0, -18 * Math.PI / 180 },
        { -0.2, 0.16, 0.41, -0.22, 0, 18 * Math.PI / 180 },
        { 0.1, 0.21, 0.25, 0, 0.35, 0 },
        { 0.1, 0.046, 0.046, 0, 0.1, 0 },
        { 0.1, 0.046, 0.046, 0, -0.1, 0 },
        { 0.1, 0.046, 0.023, -0.08, -0.605, 0 },
        { 0.1, 0.023, 0.023, 0, -0.605, 0 },
        { 0.1, 0.023, 0.046, 0.06, -0.605, 0 },
    };

    // [A, a, b, c, x0, y0, z0, θ] per ellipsoid (phantominator ct_modified_shepp_logan_params_3d; its column comment
    // says [gray, x, y, z, a, b, c, θ], but the values and ct_shepp_logan_3d read semi-axes first, centres second).
    public static readonly double[,] Modified3D =
    {
        { 1, 0.69, 0.92, 0.9, 0, 0, 0, 0 },
        { -0.8, 0.6624, 0.874, 0.88, 0, 0, 0, 0 },
        { -0.2, 0.41, 0.16, 0.21, -0.22, 0, -0.25, 3 * Math.PI / 5 },
        { -0.2, 0.31, 0.11, 0.22, 0.22, 0, -0.25, 2 * Math.PI / 5 },
        { 0.1, 0.21, 0.25, 0.5, 0, 0.35, -0.25, 0 },
        { 0.1, 0.046, 0.046, 0.046, 0, 0.1, -0.25, 0 },
        { 0.1, 0.046, 0.023, 0.02, -0.08, -0.65, -0.25, 0 },
        { 0.1, 0.046, 0.023, 0.02, 0.06, -0.65, -0.25, Math.PI / 2 },
        { 0.1, 0.056, 0.04, 0.1, 0.06, -0.105, 0.625, Math.PI / 2 },
        { 0.1, 0.056, 0.056, 0.1, 0, 0.1, 0.625, 0 },
    };

    // The 3D notebook renders the slab z ∈ [−0.25, 0.25] of the phantom (ct_shepp_logan's zlims).
    public const double ZLow = -0.25, ZHigh = 0.25;

    // The table with N(0, 1)·noise added to every entry, drawn row by row, column by column.
    public static double[,] Perturbed(double[,] table, double noise, Rng rng)
    {
        var e = (double[,])table.Clone();
        for (int i = 0; i < e.GetLength(0); i++)
            for (int j = 0; j < e.GetLength(1); j++) e[i, j] += noise * rng.Normal();
        return e;
    }

    // Pixel centre i of an R-point axis over [low, high]: low + (i + ½)·(high − low)/R.
    public static double Centre(int i, int r, double low = -1, double high = 1) => low + (i + 0.5) * (high - low) / r;

    // y of image row `row`: rows run from the top (y near 1) down, as an image is displayed.
    public static double RowY(int row, int r) => -Centre(row, r);

    // [R, R] row-major, rows from y = 1 (top) down to −1, columns from x = −1 to 1; clipped to [0, 1].
    public static float[] Render2D(double[,] e, int r)
    {
        var image = new float[r * r];
        for (int row = 0; row < r; row++)
            for (int col = 0; col < r; col++)
            {
                double x = Centre(col, r), y = RowY(row, r), v = 0;
                for (int k = 0; k < e.GetLength(0); k++)
                {
                    double c = Math.Cos(e[k, 5]), s = Math.Sin(e[k, 5]), dx = x - e[k, 3], dy = y - e[k, 4];
                    double u = (dx * c + dy * s) / e[k, 1], w = (dx * s - dy * c) / e[k, 2];
                    if (u * u + w * w <= 1) v += e[k, 0];
                }
                image[row * r + col] = (float)Math.Clamp(v, 0, 1);
            }
        return image;
    }

    // [R, R, R] row-major, indices (z, y, x); z spans [ZLow, ZHigh], y runs from the top down as in Render2D; clipped to [0, 1].
    public static float[] Render3D(double[,] e, int r)
    {
        var volume = new float[r * r * r];
        for (int iz = 0; iz < r; iz++)
            for (int iy = 0; iy < r; iy++)
                for (int ix = 0; ix < r; ix++)
                {
                    double x = Centre(ix, r), y = RowY(iy, r), z = Centre(iz, r, ZLow, ZHigh), v = 0;
                    for (int k = 0; k < e.GetLength(0); k++)
                    {
                        double c = Math.Cos(e[k, 7]), s = Math.Sin(e[k, 7]), dx = x - e[k, 4], dy = y - e[k, 5], dz = z - e[k, 6];
                        double u = (dx * c + dy * s) / e[k, 1], w = (dx * s - dy * c) / e[k, 2], t = dz / e[k, 3];
                        if (u * u + w * w + t * t <= 1) v += e[k, 0];
                    }
                    volume[(iz * r + iy) * r + ix] = (float)Math.Clamp(v, 0, 1);
                }
        return volume;
    }
}
