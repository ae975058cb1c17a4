namespace FourierRepro.Contracts;

// The project page's Fourier-feature scale sweep (PAPERS.md section H): one natural image, Gaussian features with
// σ log-spaced from 2⁻² to 2⁶, train and test PSNR at the end of training for each σ, and a slice of the composed
// NTK. One run = one σ. Defaults are the video's settings; ScaleSweepExperiment.Defaults shrinks them per scale.
public sealed record ScaleSweepConfig
{
    public string Image { get; init; } = "astronaut.png";
    public int Resolution { get; init; } = 512;        // trained on the even/even 256² grid, as the video says
    // log₂ σ: 2⁻² … 2⁶ in steps of 0.25, the 33 frames of test_sweep_1e-4_5000_more_low.mp4
    public double[] Log2Sigmas { get; init; } = Enumerable.Range(0, 33).Select(i => -2 + 0.25 * i).ToArray();
    public int GaussianFeatures { get; init; } = 256;
    public int Depth { get; init; } = 4;
    public int Width { get; init; } = 256;
    public int Iterations { get; init; } = 5000;       // the video's file name: test_sweep_1e-4_5000
    public double LearningRate { get; init; } = 1e-4;
    public int RecordEvery { get; init; } = 100;
    // The kernel slice: the analytic NTK of the same 4-layer ReLU MLP on the Gaussian-mapped input, along a
    // horizontal line through the image centre, offsets −Resolution/4 … +Resolution/4 pixels (the video: −128..128).
    public int SlicePoints { get; init; } = 513;       // odd, so that offset 0 is a sample
    // Ntk: Jacot et al.'s infinite-width kernel (W_std 1, b_std 0), independent of the width; Standard: NT 0.2.2's
    // finite-width 'standard' formula at Width.
    public NtkParameterization KernelParameterization { get; init; } = NtkParameterization.Ntk;

    // log₂ σ of one grid point, and σ: the planner gives each run one σ. (Methods, not properties: the canonical JSON
    // of a configuration, hence its hash, holds its settings only.)
    public double SingleLog2Sigma() => Log2Sigmas.Length == 1 ? Log2Sigmas[0] : throw new InvalidOperationException($"a run has one σ, not {Log2Sigmas.Length}");
    public double SingleSigma() => Math.Pow(2, SingleLog2Sigma());
}
