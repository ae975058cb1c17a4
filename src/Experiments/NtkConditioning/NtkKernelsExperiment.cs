using FourierRepro.Experiments.Core;

namespace FourierRepro.Experiments.NtkConditioning;

// Tancik et al. 2020, Fig. 2: the NTK of a ReLU MLP on a raw scalar input is not shift-invariant; the basic mapping
// [cos 2πv, sin 2πv] makes it stationary; the power-law Fourier mapping a_j = j^−p tunes its width (and spectrum).
public sealed class NtkKernelsExperiment : Experiment<NtkKernelsConfig>
{
    public const string Name = NtkKernelsContract.Experiment;

    public override ExperimentInfo Info { get; } = new(Name, "Tancik et al. 2020", "Fig. 2",
        "analytic NTK (NT 0.2.2 standard, 4x1024 ReLU MLP): raw and basic-mapped heat-maps, kernel rows and spectra for a_j = j^-p");

    public override IReadOnlyList<MetricInfo> Metrics { get; } = NtkKernelsContract.Metrics;

    public override int DefaultSeeds(Scale scale) => 1; // deterministic: no random numbers are drawn

    public override NtkKernelsConfig Defaults(Scale scale) => new();

    protected override double EstimatedSeconds(NtkKernelsConfig c) => 0.1; // analytic kernels of a few thousand pairs: measured 0.04 s

    protected override IEnumerable<string> Validate(NtkKernelsConfig c)
    {
        if (c.Depth < 1 || c.Width < 1) yield return "Depth and Width must be positive";
        if (c.HeatmapPoints < 2 || c.RowPoints < 2) yield return "HeatmapPoints and RowPoints must be at least 2";
        if (c.Frequencies < 1) yield return "Frequencies must be positive";
        foreach (var p in c.Powers)
            if (!PowerMappingNames.TryParsePower(p, out _)) yield return $"Powers: '{p}' is not p=<power ≥ 0> or p=inf";
    }

    protected override IEnumerable<PlannedConfig> Grid(NtkKernelsConfig c) => [new PlannedConfig($"width={c.Width}", c)];

    // Arrays: NtkKernelsContract (heat-maps, kernel rows and their spectra).
    protected override void Run(NtkKernelsConfig c, RunContext context, IRunRecorder recorder)
    {
        var spec = new NtkSpec(c.Depth, c.Width);
        var v = Enumerable.Range(0, c.HeatmapPoints).Select(i => -0.5 + (double)i / (c.HeatmapPoints - 1)).ToArray();
        recorder.Array(NtkKernelsContract.HeatmapV, 0, [v.Length], v);
        var raw = v.Select(t => 2 * Math.PI * t).ToArray();   // linspace(−π, π, H), fed as a scalar (d = 1)
        recorder.Array(NtkKernelsContract.KernelNone, 0, [v.Length, v.Length], Flatten(Ntk.Kernel(spec, raw, raw, 1)));
        var basic = InputMapping.Basic(1).Encode(v);          // [sin 2πv, cos 2πv] = [sin x, cos x] (d = 2)
        recorder.Array(NtkKernelsContract.KernelBasic, 0, [v.Length, v.Length], Flatten(Ntk.Kernel(spec, basic, basic, 2)));
        context.Progress.Report(1, 2);

        var powers = c.Powers.Select(PowerMappingNames.Power).ToArray();
        var x = Signals.UnitGrid(c.RowPoints);
        var rows = new double[powers.Length * c.RowPoints];
        var spectra = new double[rows.Length];
        for (int i = 0; i < powers.Length; i++)
        {
            var mapping = InputMapping.PowerLaw1D(c.Frequencies, powers[i]);
            var k = Ntk.Kernel(spec, mapping.Encode(x), mapping.Encode([0.0]), mapping.OutputDim);
            var row = Enumerable.Range(0, c.RowPoints).Select(j => k[j, 0]).ToArray();
            row.CopyTo(rows, i * c.RowPoints);
            Dft.Magnitude(row).CopyTo(spectra, i * c.RowPoints);
        }
        recorder.Array(NtkKernelsContract.Powers, 0, [powers.Length], powers);
        recorder.Array(NtkKernelsContract.RowX, 0, [x.Length], x);
        recorder.Array(NtkKernelsContract.KernelRow, 0, [powers.Length, c.RowPoints], rows);
        recorder.Array(NtkKernelsContract.KernelRowDft, 0, [powers.Length, c.RowPoints], spectra);
        context.Progress.Report(2, 2);
    }

    static double[] Flatten(double[,] m)
    {
        var flat = new double[m.Length];
        Buffer.BlockCopy(m, 0, flat, 0, flat.Length * sizeof(double));
        return flat;
    }
}
