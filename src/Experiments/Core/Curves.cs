namespace FourierRepro.Experiments.Core;

// Data manifolds of Rahaman et al. 2019, section 4 (PAPERS.md section C, `generate_dataset`).
public static class Curves
{
    // The "flower": N points φ_j = 2πj/N (no endpoint), r(φ) = 1 + Amplitude·sin(Lφ), (x, y) = r·(cos φ, sin φ).
    // L is the number of petals; L = 0 is the unit circle. Returns [N, 2] row-major (x_j, y_j), in curve order,
    // so the point j has curve parameter t_j = j/N = φ_j/2π and a target of t is a function along the curve.
    public static double[] Flower(int points, int petals, double amplitude = 0.5)
    {
        if (points < 1) throw new ArgumentOutOfRangeException(nameof(points), "at least one point");
        if (petals < 0) throw new ArgumentOutOfRangeException(nameof(petals), "the number of petals L must be ≥ 0");
        var xy = new double[2 * points];
        for (int j = 0; j < points; j++)
        {
            double phi = 2 * Math.PI * j / points;
            double r = 1 + amplitude * Math.Sin(petals * phi);
            xy[2 * j] = r * Math.Cos(phi);
            xy[2 * j + 1] = r * Math.Sin(phi);
        }
        return xy;
    }

    // The length of the closed polyline through the points (x_j, y_j) and back to the first: how long the curve is.
    public static double PolylineLength(ReadOnlySpan<double> xy)
    {
        int n = xy.Length / 2;
        double length = 0;
        for (int j = 0; j < n; j++)
        {
            int k = (j + 1) % n;
            length += Math.Sqrt(Math.Pow(xy[2 * k] - xy[2 * j], 2) + Math.Pow(xy[2 * k + 1] - xy[2 * j + 1], 2));
        }
        return length;
    }

    // A square grid of side `size` over [−extent, extent]², row-major with y the slow index: [size², 2]
    // (the reference classification plot's meshgrid over [−1.6, 1.6]²).
    public static double[] SquareGrid(int size, double extent)
    {
        if (size < 2) throw new ArgumentOutOfRangeException(nameof(size), "a grid needs at least 2 points per side");
        var xy = new double[2 * size * size];
        for (int iy = 0; iy < size; iy++)
            for (int ix = 0; ix < size; ix++)
            {
                int p = iy * size + ix;
                xy[2 * p] = -extent + 2 * extent * ix / (size - 1);
                xy[2 * p + 1] = -extent + 2 * extent * iy / (size - 1);
            }
        return xy;
    }
}
