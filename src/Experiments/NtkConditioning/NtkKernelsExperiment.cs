using FourierRepro.Experiments.Core;

namespace FourierRepro.Experiments.NtkConditioning;

// Tancik et al. 2020, Fig. 2: the NTK of a ReLU MLP on a raw scalar input is not shift-invariant; the basic mapping
// [cos 2πv, sin 2πv] makes it stationary; the power-law Fourier mapping a_j = j^−p tunes its width (and spectrum).
public sealed class NtkKernelsExperiment : Experiment<NtkKernelsConfig>
{
    public const string Name = "ntk-kernels";

    public override ExperimentInfo Info { get; } = new(Name, "Tancik et al. 2020", "Fig. 2",
        "analytic NTK (NT 0.2.2 standard, 4x1024 ReLU MLP): raw and basic-mapped heat-maps, kernel rows and spectra for a_j = j^-p");

    public override IReadOnlyList<MetricInfo> Metrics { get; } = [];

    public override int DefaultSeeds(Scale scale) => 1; // deterministic: no random numbers are drawn

    public override NtkKernelsConfig Defaults(Scale scale) => new();

    protected override IEnumerable<string> Validate(NtkKernelsConfig c)
    {
        if (c.Depth < 1 || c.Width < 1) yield return "Depth and Width must be positive";
        if (c.HeatmapPoints < 2 || c.RowPoints < 2) yield return "HeatmapPoints and RowPoints must be at least 2";
        if (c.Frequencies < 1) yield return "Frequencies must be positive";
        foreach (var p in c.Powers)
            if (!PowerMappings.TryParsePower(p, out _)) yield return $"Powers: '{p}' is not p=<power ≥ 0> or p=inf";
    }

    protected override IEnumerable<PlannedConfig> Grid(NtkKernelsConfig c) => [new PlannedConfig($"width={c.Width}", c)];

    // Arrays: heatmap_v [H] (v = x/2π in [−0.5, 0.5]), kernel_none [H, H] (raw input x = 2πv), kernel_basic [H, H]
    // ([sin x, cos x]), powers [P] (+∞ for p=inf), row_x [R] (x_j = j/R), kernel_row [P, R] = Θ(γ(x_j), γ(0)),
    // kernel_row_dft [P, R] = |DFT| of each row (numpy fft order, not shifted).
    protected override void Run(NtkKernelsConfig c, RunContext context, IRunRecorder recorder)
    {
        var spec = new NtkSpec(c.Depth, c.Width);
        var v = Enumerable.Range(0, c.HeatmapPoints).Select(i => -0.5 + (double)i / (c.HeatmapPoints - 1)).ToArray();
        recorder.Array("heatmap_v", 0, [v.Length], v);
        var raw = v.Select(t => 2 * Math.PI * t).ToArray();   // linspace(−π, π, H), fed as a scalar (d = 1)
        recorder.Array("kernel_none", 0, [v.Length, v.Length], Flatten(Ntk.Kernel(spec, raw, raw, 1)));
        var basic = InputMapping.Basic(1).Encode(v);          // [sin 2πv, cos 2πv] = [sin x, cos x] (d = 2)
        recorder.Array("kernel_basic", 0, [v.Length, v.Length], Flatten(Ntk.Kernel(spec, basic, basic, 2)));
        context.Progress.Report(1, 2);

        var powers = c.Powers.Select(p => { PowerMappings.TryParsePower(p, out var value); return value; }).ToArray();
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
        recorder.Array("powers", 0, [powers.Length], powers);
        recorder.Array("row_x", 0, [x.Length], x);
        recorder.Array("kernel_row", 0, [powers.Length, c.RowPoints], rows);
        recorder.Array("kernel_row_dft", 0, [powers.Length, c.RowPoints], spectra);
        context.Progress.Report(2, 2);
    }

    static double[] Flatten(double[,] m)
    {
        var flat = new double[m.Length];
        Buffer.BlockCopy(m, 0, flat, 0, flat.Length * sizeof(double));
        return flat;
    }
}
