namespace FourierRepro.Contracts;

// Tancik et al. 2020, Table 1 (2D CT row), supplementary Fig. 17 / Table 5: the notebook 2d_CT.ipynb's settings
// (PAPERS-CT-MRI.md). Defaults are the paper's; CtReconstructionExperiment.Defaults shrinks the grid per scale.
// One run = one method on one phantom.
public sealed record CtReconstructionConfig
{
    public string[] Methods { get; init; } = [.. ReconstructionNames.Methods];
    public int[] Phantoms { get; init; } = Enumerable.Range(0, 8).ToArray(); // the notebook's 8 test phantoms
    public int PhantomSeed { get; init; } = 2020;     // the phantoms' own seed: the same phantoms whatever the run seed
    public double PhantomNoise { get; init; } = 0.05; // N(0, 1)/20 on each of the 60 ellipse parameters
    public int Resolution { get; init; } = 512;
    public int Angles { get; init; } = 20;            // θ = linspace(0, π, 21)[:-1]
    public int Depth { get; init; } = 4;              // 3 × (Dense 256 + ReLU), Dense 1 + sigmoid
    public int Width { get; init; } = 256;
    public int Iterations { get; init; } = 1000;
    public int RecordEvery { get; init; } = 25;
    public double LrRaw { get; init; } = 1e-2;        // none and basic
    public double LrFeatures { get; init; } = 1e-3;   // posenc and Gaussian
    public double LrGridOpt { get; init; } = 1e-1;
    public double PosEncScale { get; init; } = 3;     // 2^linspace(0, 3, 128) − 1: 0 … 7 cycles per axis
    public int PosEncPerAxis { get; init; } = 128;
    public double Sigma { get; init; } = 4;
    public int GaussianFeatures { get; init; } = 256;

    public double LearningRate(string method) => method switch
    {
        ReconstructionNames.None or ReconstructionNames.Basic => LrRaw,
        ReconstructionNames.GridOpt => LrGridOpt,
        _ => LrFeatures,
    };

    // One grid point: the planner gives each run one method and one phantom. (Methods, not properties: the canonical
    // JSON of a configuration, hence its hash, holds its settings only.)
    public string SingleMethod() => Methods.Length == 1 ? Methods[0] : throw new InvalidOperationException($"a run has one method, not {Methods.Length}");
    public int SinglePhantom() => Phantoms.Length == 1 ? Phantoms[0] : throw new InvalidOperationException($"a run has one phantom, not {Phantoms.Length}");
}
