using FourierRepro.Experiments.Core;
using TorchSharp;

namespace FourierRepro.Experiments.Images;

// A 1D slice of the composed kernel Θ(γ(v), γ(v₀)) of a ReLU MLP on Fourier-mapped 2D coordinates: v₀ is the image
// centre and v moves along the horizontal line through it, by offsets in pixels of a Size × Size image. For the
// Gaussian mapping γ(v)·γ(v′) = Σ_j cos(2π b_j·(v − v′)), so the kernel is stationary and the slice says everything.
public sealed class KernelSlice(NtkSpec spec, InputMapping mapping, int size)
{
    // Θ at each offset (pixels) divided by Θ at offset 0.
    public double[] Normalized(IReadOnlyList<double> offsets)
    {
        double at0 = Raw([0.0])[0];
        return Raw(offsets).Select(k => k / at0).ToArray();
    }

    // The half width at half maximum of the normalized slice, in pixels: the first offset > 0 where it falls to 0.5
    // (found on a grid of 1/8 pixel, then by bisection). +∞ when it stays above 0.5 up to 8·size pixels.
    public double HalfWidth()
    {
        double at0 = Raw([0.0])[0];
        const double Step = 0.125;
        const int Batch = 2048;
        for (int start = 0; start * Step < 8 * size; start += Batch)
        {
            var offsets = Enumerable.Range(start + 1, Batch).Select(j => j * Step).ToArray();
            var values = Raw(offsets);
            int first = Array.FindIndex(values, v => v / at0 < 0.5);
            if (first < 0) continue;
            double lo = offsets[first] - Step, hi = offsets[first];
            for (int i = 0; i < 40; i++)
            {
                double mid = (lo + hi) / 2;
                if (Raw([mid])[0] / at0 >= 0.5) lo = mid; else hi = mid;
            }
            return (lo + hi) / 2;
        }
        return double.PositiveInfinity;
    }

    double[] Raw(IReadOnlyList<double> offsets)
    {
        using var scope = torch.NewDisposeScope();
        var points = new double[offsets.Count * 2];
        for (int i = 0; i < offsets.Count; i++) { points[2 * i] = 0.5 + offsets[i] / size; points[2 * i + 1] = 0.5; }
        var features = mapping.Encode(points);
        var centre = mapping.Encode([0.5, 0.5]);
        int d = mapping.OutputDim;
        var k = Ntk.Kernel(spec, torch.tensor(features, [offsets.Count, d]), torch.tensor(centre, [1, d]));
        return k.cpu().data<double>().ToArray();
    }
}
