using FourierRepro.Experiments.Core;
using TorchSharp;

namespace FourierRepro.Experiments.NtkConditioning;

// Tancik et al. 2020, Fig. 2 caption and supplementary Fig. 7: the spectrum and condition number of the analytic NTK
// Gram matrix on the periodic grid x_j = j/N, without a mapping, with the basic, power-law and Gaussian mappings, and
// across depth. One run = one N; the seed draws the Gaussian B (the deterministic rows repeat in every seed).
public sealed class NtkConditioningExperiment : Experiment<NtkConditioningConfig>
{
    public const string Name = NtkConditioningContract.Experiment;

    public override ExperimentInfo Info { get; } = new(Name, "Tancik et al. 2020", "Fig. 2, Supp. Fig. 7",
        "analytic NTK Gram matrix on the periodic grid: eigenvalues, row DFT and condition number per mapping (none, basic, p, Gaussian sigma) and depth");

    public override IReadOnlyList<MetricInfo> Metrics { get; } = NtkConditioningContract.Metrics;

    // NTKC-1 ranks the no-mapping kernel among every Fourier mapping: 7 deterministic rows plus 5 Gaussian draws per
    // seed. Its exact rank test has smallest p = 1/(1 + mappings): below 0.05 from 20 mappings on, i.e. 3 seeds.
    public override int DefaultSeeds(Scale scale) => scale switch
    {
        Scale.Smoke => 3,    // 1 + 7 + 15 = 23 rows: smallest p 0.043
        Scale.Standard => 5, // 33 rows: 0.030
        _ => 10,             // 58 rows: 0.017
    };

    // Each run costs milliseconds (kernels and eigenvalues of at most 256 points); the larger grid only where it is free.
    public override NtkConditioningConfig Defaults(Scale scale) => scale switch
    {
        Scale.Smoke => new(),
        _ => new() { Points = [32, 256] }, // 256 = ntk-convergence's whole grid
    };

    // Measured 0.05 s (N = 32) and 0.3 s (N = 256) of kernels and eigenvalues on the development machine.
    protected override double EstimatedSeconds(NtkConditioningConfig c) => 0.1 + 0.3 * Math.Pow(c.SinglePoints() / 256.0, 2);

    protected override IEnumerable<string> Validate(NtkConditioningConfig c)
    {
        if (c.Depth < 2 || c.Width < 1 || c.Frequencies < 1) yield return "Depth must be at least 2, Width and Frequencies positive";
        if (c.Points.Length == 0 || c.Points.Any(n => n < 4)) yield return "Points must list grid sizes of at least 4";
        foreach (var p in c.Powers)
            if (!PowerMappingNames.TryParsePower(p, out _)) yield return $"Powers: '{p}' is not p=<power ≥ 0> or p=inf";
        if (c.GaussianSigmas.Any(s => !(s > 0))) yield return "GaussianSigmas must be positive";
        if (c.Depths.Length == 0 || c.Depths.Any(d => d < 2)) yield return "Depths must list depths of at least 2";
        foreach (var m in c.DepthMappings)
            if (!PowerMappingNames.IsValid(m)) yield return $"DepthMappings: '{m}' is not none, p=<power ≥ 0> or p=inf";
    }

    protected override IEnumerable<PlannedConfig> Grid(NtkConditioningConfig c) =>
        c.Points.Select(n => new PlannedConfig($"points={n}", c with { Points = [n] }));

    // Arrays: NtkConditioningContract.
    protected override void Run(NtkConditioningConfig c, RunContext context, IRunRecorder recorder)
    {
        int n = c.SinglePoints();
        var x = Signals.UnitGrid(n);
        recorder.Array(NtkConditioningContract.X, 0, [n], x);
        var rows = c.Rows();
        var mappings = Mappings(c, context);
        var eigenvalues = new double[rows.Count * n];
        var kernelRows = new double[rows.Count * n];
        var dftReal = new double[rows.Count * n];
        var dftImag = new double[rows.Count * n];
        var condition = new double[rows.Count];
        var spec = new NtkSpec(c.Depth, c.Width);
        for (int m = 0; m < rows.Count; m++)
        {
            var (eig, row) = Spectrum(spec, mappings[rows[m]], x);
            eig.CopyTo(eigenvalues, m * n);
            row.CopyTo(kernelRows, m * n);
            var (re, im) = Dft.Complex(row);
            re.CopyTo(dftReal, m * n);
            im.CopyTo(dftImag, m * n);
            condition[m] = ConditionNumber(eig);
            context.Progress.Report(m + 1, rows.Count + c.DepthMappings.Length);
        }
        recorder.Array(NtkConditioningContract.Eigenvalues, 0, [rows.Count, n], eigenvalues);
        recorder.Array(NtkConditioningContract.KernelRow, 0, [rows.Count, n], kernelRows);
        recorder.Array(NtkConditioningContract.RowDftReal, 0, [rows.Count, n], dftReal);
        recorder.Array(NtkConditioningContract.RowDftImag, 0, [rows.Count, n], dftImag);
        recorder.Array(NtkConditioningContract.ConditionNumber, 0, [rows.Count], condition);

        var depthCondition = new double[c.DepthMappings.Length * c.Depths.Length];
        for (int k = 0; k < c.DepthMappings.Length; k++)
        {
            var mapping = PowerMappings.Create(c.DepthMappings[k], c.Frequencies);
            for (int d = 0; d < c.Depths.Length; d++)
                depthCondition[k * c.Depths.Length + d] = ConditionNumber(Spectrum(spec with { Depth = c.Depths[d] }, mapping, x).Eigenvalues);
            context.Progress.Report(rows.Count + k + 1, rows.Count + c.DepthMappings.Length);
        }
        recorder.Array(NtkConditioningContract.Depths, 0, [c.Depths.Length], c.Depths.Select(d => (double)d).ToArray());
        recorder.Array(NtkConditioningContract.DepthConditionNumber, 0, [c.DepthMappings.Length, c.Depths.Length], depthCondition);
    }

    // Every row's mapping. Gaussian B ~ N(0, σ²) from the run's "B" stream, one draw per σ in order; features normalised
    // to norm 1 like the power mappings (a = 1/√m), so that only the frequencies differ between the Fourier rows.
    static Dictionary<string, InputMapping> Mappings(NtkConditioningConfig c, RunContext context)
    {
        var result = new Dictionary<string, InputMapping>
        {
            [PowerMappingNames.None] = PowerMappings.Create(PowerMappingNames.None, c.Frequencies),
            [NtkConditioningContract.Basic] = InputMapping.Basic(1),
        };
        foreach (var p in c.Powers) result[p] = PowerMappings.Create(p, c.Frequencies);
        var rng = context.Rng("B");
        foreach (var sigma in c.GaussianSigmas)
        {
            var drawn = InputMapping.Gaussian(1, c.Frequencies, sigma, rng);
            var rounded = new double[c.Frequencies, 1];
            for (int j = 0; j < c.Frequencies; j++) rounded[j, 0] = Math.Round(drawn.B[j, 0]);
            result[NtkConditioningContract.GaussianRow(sigma, integer: false)] = InputMapping.General(drawn.Name, drawn.B, drawn.A, normalizeByNormA: true);
            result[NtkConditioningContract.GaussianRow(sigma, integer: true)] = InputMapping.General(drawn.Name + ",int", rounded, drawn.A, normalizeByNormA: true);
        }
        return result;
    }

    // Eigenvalues of the Gram matrix on the grid (descending, float64, torch.linalg.eigvalsh) and its first row.
    public static (double[] Eigenvalues, double[] Row) Spectrum(NtkSpec spec, InputMapping mapping, double[] x)
    {
        using var scope = torch.NewDisposeScope();
        var features = torch.tensor(mapping.Encode(x), [x.Length, mapping.OutputDim]);
        var gram = Ntk.Kernel(spec, features, features);
        gram = (gram + gram.t()) / 2; // exactly symmetric for eigvalsh, which reads one triangle
        var eig = torch.linalg.eigvalsh(gram).data<double>().ToArray();
        Array.Reverse(eig);           // eigvalsh returns them ascending
        return (eig, gram[0].data<double>().ToArray());
    }

    // λ_max / λ_min; +∞ when the smallest eigenvalue is not positive in float64 (below round-off of λ_max).
    public static double ConditionNumber(double[] descending) =>
        descending[^1] > 0 ? descending[0] / descending[^1] : double.PositiveInfinity;
}
