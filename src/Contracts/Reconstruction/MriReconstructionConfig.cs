namespace FourierRepro.Contracts;

// Tancik et al. 2020, Table 1 (3D MRI row), supplementary Fig. 18 / Table 6: the notebook 3d_MRI.ipynb's settings
// (PAPERS-CT-MRI.md), on its own alternative data, 3D Shepp–Logan phantoms — a substitute for the paper's ATLAS brain
// scans, which cannot be obtained here. Defaults are the paper's; MriReconstructionExperiment.Defaults shrinks the
// grid per scale. One run = one method on one phantom.
public sealed record MriReconstructionConfig
{
    public string[] Methods { get; init; } = [.. ReconstructionNames.Methods];
    public int[] Phantoms { get; init; } = Enumerable.Range(0, 6).ToArray(); // 6 test volumes, as the paper's
    public int PhantomSeed { get; init; } = 2020;
    public double PhantomNoise { get; init; } = 0.05; // N(0, 1)/20 on each of the 80 ellipsoid parameters
    public int Resolution { get; init; } = 96;        // 96³ voxels
    public int MaskSamples { get; init; } = 200_000;  // k-space points drawn at 96³ (scaled by (R/96)³ on a smaller grid)
    public double MaskVariance { get; init; } = 192;  // per axis at 96³: 2·96 (σ ≈ 13.9 voxels; scaled by (R/96)² on a smaller grid)
    public int MaskSeed { get; init; } = 2020;        // one mask for every phantom and method, as the notebook
    public int Depth { get; init; } = 4;
    public int Width { get; init; } = 256;
    public int Iterations { get; init; } = 1000;
    public int RecordEvery { get; init; } = 25;
    public double LrMlp { get; init; } = 2e-3;        // every mapping
    public double LrGridOpt { get; init; } = 1e-1;
    public double PosEncScale { get; init; } = 4;     // 2^linspace(0, 4, 85) − 1: 0 … 15 cycles per axis
    public int PosEncPerAxis { get; init; } = 85;     // 255 rows, 510 features
    public double Sigma { get; init; } = 5;
    public int GaussianFeatures { get; init; } = 256;

    public double LearningRate(string method) => method == ReconstructionNames.GridOpt ? LrGridOpt : LrMlp;

    public string SingleMethod() => Methods.Length == 1 ? Methods[0] : throw new InvalidOperationException($"a run has one method, not {Methods.Length}");
    public int SinglePhantom() => Phantoms.Length == 1 ? Phantoms[0] : throw new InvalidOperationException($"a run has one phantom, not {Phantoms.Length}");
}
