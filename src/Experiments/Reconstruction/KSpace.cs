using FourierRepro.Experiments.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace FourierRepro.Experiments.Reconstruction;

// The 3D MRI notebook's observations: the 3D DFT of the volume on a random set of k-space frequencies, dense around
// zero frequency. Points are drawn from a normal centred on the middle of the grid, cast to integers (toward zero,
// as numpy's astype(int)), duplicates merged, then fft-shifted so that the middle sits at frequency 0. At 96³ the
// notebook draws 200,000 points with variance 2·96 per axis: ~12.6 % of the frequencies. On a grid of R < 96 the
// draw count scales with the volume, (R/96)³, and the variance with the area, (R/96)²: the same mask shape in
// units of the grid, hence about the same sampled fraction.
public static class KSpace
{
    // Flat (z, y, x) indices of the sampled frequencies in numpy's FFT order, ascending.
    public static long[] Mask(int r, int samplesAt96, double varianceAt96, Rng rng)
    {
        double scale = r / 96.0;
        int draws = (int)Math.Round(samplesAt96 * scale * scale * scale);
        double sigma = Math.Sqrt(varianceAt96 * scale * scale), centre = r / 2.0;
        var sampled = new bool[r * r * r];
        for (int n = 0; n < draws; n++)
        {
            int z = (int)(centre + sigma * rng.Normal()), y = (int)(centre + sigma * rng.Normal()), x = (int)(centre + sigma * rng.Normal());
            if (z < 0 || z >= r || y < 0 || y >= r || x < 0 || x >= r) continue; // beyond the grid (none at 96³: 3.5σ)
            sampled[(Shift(z, r) * r + Shift(y, r)) * r + Shift(x, r)] = true;
        }
        return Enumerable.Range(0, sampled.Length).Where(i => sampled[i]).Select(i => (long)i).ToArray();
    }

    // fftshift's inverse on one axis: the middle index r/2 (r even) or (r − 1)/2 goes to 0.
    static int Shift(int k, int r) => (k - r / 2 + r) % r;

    // The notebook's loss, 0.5 · mean over all R³ frequencies of |mask · (FFT3(f) − FFT3(y))|², computed as the sum
    // over the mask / R³. f: [R³] float32 (z, y, x), differentiable; observed: view_as_real of FFT3(y) on the mask, [M, 2].
    public static Tensor Loss(Tensor volume, int r, Tensor maskIndex, Tensor observed)
    {
        var spectrum = torch.fft.fftn(volume.view(r, r, r)).flatten().index_select(0, maskIndex);
        return torch.view_as_real(spectrum).sub(observed).square().sum().mul(0.5 / ((double)r * r * r));
    }

    // FFT3(y) on the mask as real pairs [M, 2] (the observations; y: [R³] float32).
    public static Tensor Observe(Tensor volume, int r, Tensor maskIndex)
    {
        using var _ = torch.no_grad();
        return torch.view_as_real(torch.fft.fftn(volume.view(r, r, r)).flatten().index_select(0, maskIndex)).clone();
    }

    // The same loss from a direct triple-sum DFT in float64, X_k = Σ_n f_n e^{−2πi k·n/R} (numpy's convention): the
    // reference for tests and for each run's own check.
    public static double DirectLoss(float[] f, float[] y, int r, long[] mask)
    {
        double sum = 0;
        foreach (long flat in mask)
        {
            int kz = (int)(flat / (r * r)), ky = (int)(flat / r % r), kx = (int)(flat % r);
            double re = 0, im = 0;
            for (int z = 0; z < r; z++)
                for (int yy = 0; yy < r; yy++)
                    for (int x = 0; x < r; x++)
                    {
                        double phase = -2 * Math.PI * ((double)kz * z + (double)ky * yy + (double)kx * x) / r;
                        double d = f[(z * r + yy) * r + x] - (double)y[(z * r + yy) * r + x];
                        re += d * Math.Cos(phase);
                        im += d * Math.Sin(phase);
                    }
            sum += re * re + im * im;
        }
        return 0.5 * sum / ((double)r * r * r);
    }

    // The run's check of its own loss path (MriReconstructionContract's ForwardModelError): on a 4³ volume pair drawn
    // from `rng` and a 4³ mask of every other frequency, |Loss − DirectLoss| / DirectLoss.
    public static double LossError(Device device, Rng rng)
    {
        const int r = 4;
        using var scope = torch.NewDisposeScope();
        var f = Enumerable.Range(0, r * r * r).Select(_ => (float)rng.NextDouble()).ToArray();
        var y = Enumerable.Range(0, r * r * r).Select(_ => (float)rng.NextDouble()).ToArray();
        var mask = Enumerable.Range(0, r * r * r).Where(i => i % 2 == 0).Select(i => (long)i).ToArray();
        var maskIndex = torch.tensor(mask).to(device);
        var observed = Observe(torch.tensor(y).to(device), r, maskIndex);
        double viaFft = Loss(torch.tensor(f).to(device), r, maskIndex, observed).item<float>();
        double direct = DirectLoss(f, y, r, mask);
        return Math.Abs(viaFft - direct) / direct;
    }
}
