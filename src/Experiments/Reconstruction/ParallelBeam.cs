using TorchSharp;
using static TorchSharp.torch;

namespace FourierRepro.Experiments.Reconstruction;

// The 2D CT notebook's forward model: for each angle θ of linspace(0, π, A + 1)[:-1], rotate the image's pixel grid by
// θ, resample the image there (zero outside) and take the mean along one axis: A projections of R values.
// On the field of view [−1, 1]², detector bin i at s_i and ray sample j at t_j (both pixel centres) sample the point
// s_i·(cos θ, sin θ) + t_j·(−sin θ, cos θ), so a projection value is (1/R) Σ_j f ≈ ½ ∫ f dt: half the line integral.
// Bilinear, not the notebook's nearest neighbour: both are linear in the image (what training differentiates), and
// bilinear's discretisation error against the chord-length closed form is smaller at the small grids we run.
// The operator is precomputed as 4R (pixel, weight) pairs per projection value, so one projection of the network's
// image is a gather, a multiply and a sum (an index_select whose backward is index_add), on any device.
public sealed class ParallelBeam
{
    public int Resolution { get; }
    public int Angles { get; }
    public int Values => Angles * Resolution;          // projection values: angle-major, [A, R]
    readonly int[] pixel;                              // [Values · 4R] pixel index of each pair (0 with weight 0 outside)
    readonly float[] weight;                           // [Values · 4R] bilinear weight / R

    public ParallelBeam(int resolution, int angles)
    {
        if (resolution < 2 || angles < 1) throw new ArgumentException("a parallel-beam geometry needs R ≥ 2 and at least one angle");
        (Resolution, Angles) = (resolution, angles);
        int r = resolution, pairs = 4 * r;
        pixel = new int[Values * pairs];
        weight = new float[Values * pairs];
        for (int a = 0; a < angles; a++)
        {
            double theta = Math.PI * a / angles, c = Math.Cos(theta), s = Math.Sin(theta);
            for (int i = 0; i < r; i++)
                for (int j = 0; j < r; j++)
                {
                    double si = SheppLogan.Centre(i, r), tj = SheppLogan.Centre(j, r);
                    double x = si * c - tj * s, y = si * s + tj * c;
                    // continuous pixel coordinates, pixel centres at integers: column ↔ x, row ↔ −y (SheppLogan.RowY)
                    double col = (x + 1) * r / 2 - 0.5, row = (1 - y) * r / 2 - 0.5;
                    int c0 = (int)Math.Floor(col), r0 = (int)Math.Floor(row);
                    double fc = col - c0, fr = row - r0;
                    int at = ((a * r + i) * r + j) * 4;
                    Put(at, r0, c0, (1 - fr) * (1 - fc));
                    Put(at + 1, r0, c0 + 1, (1 - fr) * fc);
                    Put(at + 2, r0 + 1, c0, fr * (1 - fc));
                    Put(at + 3, r0 + 1, c0 + 1, fr * fc);
                }
        }

        void Put(int at, int row, int col, double w)
        {
            bool inside = row >= 0 && row < resolution && col >= 0 && col < resolution;
            pixel[at] = inside ? row * resolution + col : 0;
            weight[at] = inside ? (float)(w / resolution) : 0;
        }
    }

    // The projections of a row-major [R, R] image, [A·R] angle-major, in float64 (the reference for tests).
    public double[] Project(ReadOnlySpan<float> image)
    {
        if (image.Length != Resolution * Resolution) throw new ArgumentException($"an image of {image.Length} pixels for a {Resolution}² geometry");
        var p = new double[Values];
        int pairs = 4 * Resolution;
        for (int v = 0; v < Values; v++)
        {
            double sum = 0;
            for (int k = v * pairs; k < (v + 1) * pairs; k++) sum += weight[k] * (double)image[pixel[k]];
            p[v] = sum;
        }
        return p;
    }

    // The operator's tensors on a device, for Project(Tensor).
    public (Tensor Pixel, Tensor Weight) ToDevice(Device device) =>
        (torch.tensor(pixel.Select(i => (long)i).ToArray()).to(device), torch.tensor(weight, [Values, 4L * Resolution]).to(device));

    // Projections of an image tensor [R²] (float32): [A·R], differentiable in the image.
    public static Tensor Project(Tensor image, (Tensor Pixel, Tensor Weight) op) =>
        image.index_select(0, op.Pixel).view(op.Weight.shape).mul(op.Weight).sum(1);

    // Kak & Slaney's closed form: the line integral across an ellipse of intensity A, semi-axes (a, b), centre (x0, y0),
    // rotated by φ, at detector offset s of angle θ: 2Aab·√(m² − s′²)/m², m² = a²cos²(θ − φ) + b²sin²(θ − φ),
    // s′ = s − x0 cos θ − y0 sin θ; 0 outside. Our projection value is half of it (see the class comment).
    public static double EllipseLineIntegral(double amplitude, double a, double b, double x0, double y0, double phi, double theta, double s)
    {
        double ct = Math.Cos(theta - phi), st = Math.Sin(theta - phi);
        double m2 = a * a * ct * ct + b * b * st * st;
        double sp = s - x0 * Math.Cos(theta) - y0 * Math.Sin(theta);
        return sp * sp >= m2 ? 0 : 2 * amplitude * a * b * Math.Sqrt(m2 - sp * sp) / m2;
    }

    // The closed-form projection values of a set of ellipses ([A, a, b, x0, y0, θ] rows, intensities summed, not
    // clipped), on this geometry: [A·R].
    public double[] ClosedForm(double[,] ellipses)
    {
        var p = new double[Values];
        for (int a = 0; a < Angles; a++)
            for (int i = 0; i < Resolution; i++)
            {
                double theta = Math.PI * a / Angles, s = SheppLogan.Centre(i, Resolution), sum = 0;
                for (int k = 0; k < ellipses.GetLength(0); k++)
                    sum += EllipseLineIntegral(ellipses[k, 0], ellipses[k, 1], ellipses[k, 2], ellipses[k, 3], ellipses[k, 4], ellipses[k, 5], theta, s);
                p[a * Resolution + i] = sum / 2;
            }
        return p;
    }

    // The run's check of its own operator (CtReconstructionContract.ForwardModelError): a centred disc of radius 0.5
    // rendered on the grid and projected through the operator tensors the run trains with (`op`, from ToDevice),
    // against the closed form. Mean absolute error over the sinogram; a pixelated boundary moves each end of a chord
    // by about a pixel (2/R in length, 1/R in value).
    public static readonly double[,] Disc = { { 1, 0.5, 0.5, 0, 0, 0 } };

    public double DiscError((Tensor Pixel, Tensor Weight) op, Device device)
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.tensor(SheppLogan.Render2D(Disc, Resolution)).to(device);
        var projected = Project(image, op).cpu().to(ScalarType.Float64).data<double>().ToArray();
        var exact = ClosedForm(Disc);
        return projected.Zip(exact, (p, e) => Math.Abs(p - e)).Average();
    }
}
