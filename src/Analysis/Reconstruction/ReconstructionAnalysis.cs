using FourierRepro.Analysis.Images;
using FourierRepro.Analysis.Plotting;
using ScottPlot;
using static FourierRepro.Contracts.ReconstructionNames;

namespace FourierRepro.Analysis.Reconstruction;

// Tancik et al. 2020, Table 1's indirect rows: 2D CT from 20 projections (supp. Fig. 17) and 3D MRI from a random
// 12.6 % of k-space (supp. Fig. 18). One module per row; both read the same recorded names (ReconstructionContract).
public sealed class ReconstructionAnalysis : IAnalysisModule
{
    readonly bool ct;

    ReconstructionAnalysis(bool ct)
    {
        this.ct = ct;
        Claims = ct
            ? ReconstructionClaims.All(Experiment, "CT", "2D CT (Shepp–Logan phantoms from 20 parallel-beam projections)",
                "The projection operator agrees with the chord-length closed form: a centred disc of radius 0.5 projects to √(0.25 − s²) (half its line integral) at every angle.",
                "mean |projection − closed form| over the sinogram <= 1/R (a pixelated boundary moves each end of a chord by about half a pixel, 1/R in value)",
                c => ReconstructionClaims.ForwardModel(c, Experiment, r => 1.0 / r, "mean |projection of a disc − closed form|"))
            : ReconstructionClaims.All(Experiment, "MRI", "3D MRI (3D Shepp–Logan phantoms, substitutes for brain scans, from 12.6 % of k-space)",
                "The masked 3D-FFT loss equals the same loss from a direct triple-sum DFT (a 4x4x4 volume, float32 FFT against float64 sums).",
                "relative error <= 1e-4 (float32 round-off of a sum of 32 squared spectral differences, with margin)",
                c => ReconstructionClaims.ForwardModel(c, Experiment, _ => 1e-4, "relative error of the FFT loss"));
    }

    public static ReconstructionAnalysis Ct { get; } = new(true);
    public static ReconstructionAnalysis Mri { get; } = new(false);

    public string Experiment => ct ? CtReconstructionContract.Experiment : MriReconstructionContract.Experiment;
    public string Title => ct ? "2D CT reconstruction (Tancik et al. 2020, Table 1 and supp. Fig. 17)" : "3D MRI reconstruction (Tancik et al. 2020, Table 1 and supp. Fig. 18)";
    public IReadOnlyList<Claim> Claims { get; }

    public IReadOnlyList<string> DataSubstitutions => ct
        ? ["Phantoms: our rendering of the notebook's perturbed modified Shepp–Logan phantoms (phantominator's table and inside test, N(0, 1)/20 on every entry), drawn from our own seed.",
           "Projection: bilinear resampling of the rotated grid (the notebook: nearest neighbour); both are linear in the image, bilinear is closer to the closed form on small grids."]
        : ["**Substitute data**: 3D modified Shepp–Logan phantoms (the notebook's own alternative, perturbed as the CT phantoms) instead of the paper's ATLAS brain scans, which cannot be obtained here.",
           "On grids smaller than 96³ the k-space mask keeps its shape in grid units (draws scaled by (R/96)³, variance by (R/96)²), and σ and the positional-encoding scale are scaled by R/96."];

    static readonly Dictionary<string, string> Titles = new()
    {
        [None] = "No mapping", [Basic] = "Basic", [PosEnc] = "Positional enc.", [Gaussian] = "Gaussian", [GridOpt] = "Pixels optimised (gridopt)",
    };

    public IEnumerable<FigureResult> DrawFigures(AnalysisContext context)
    {
        var data = ReconstructionData.Load(context, Experiment);
        if (data is null) yield break;
        string id = Experiment, grid = ct ? $"{data.Resolution}²" : $"{data.Resolution}³";

        // The phantom, what was observed, and every method's reconstruction of the first phantom (lowest seed).
        var first = data.Runs.OrderBy(r => r.Phantom, StringComparer.Ordinal).ThenBy(r => r.Seed).ThenBy(r => r.RunId).First();
        var panels = new List<Plot>();
        var used = new List<long>();
        var target = ReconstructionData.Slice(context.Db, first.RunId, ReconstructionContract.Target);
        panels.Add(ImagePanels.Grey($"{first.Phantom} ({grid}{(ct ? "" : ", middle slice")})", target.Rows, target.Cols, target.Values));
        var observed = ReconstructionData.Slice(context.Db, first.RunId, ReconstructionContract.Observations);
        panels.Add(ct
            ? ImagePanels.Grey($"Sinogram ({observed.Rows} angles x {observed.Cols})", observed.Rows, observed.Cols, observed.Values, 0, observed.Values.Max())
            : ImagePanels.Grey("k-space mask, kz = 0 (white: sampled)", observed.Rows, observed.Cols, FftShift(observed.Values, observed.Rows)));
        foreach (var m in Methods)
        {
            var run = data.Of(m).FirstOrDefault(r => r.Phantom == first.Phantom && r.Seed == first.Seed);
            if (run is null) { panels.Add(Plots.NewPlot($"{Titles[m]}: not run", "", "")); continue; }
            var p = ReconstructionData.Slice(context.Db, run.RunId, ReconstructionContract.Prediction);
            panels.Add(ImagePanels.Grey($"{Titles[m]}: {run.FinalPsnr:F1} dB", p.Rows, p.Cols, p.Values));
            used.Add(run.RunId);
        }
        var (png, svg) = FigureWriter.Save(Path.Combine(context.OutDir, id), panels, columns: 4, panelWidth: 380, panelHeight: 420);
        yield return new FigureResult(id, ct ? "CT reconstructions by mapping" : "MRI reconstructions by mapping",
            ct ? "Tancik et al. supp. Fig. 17 (and Table 1's 2D CT row)" : "Tancik et al. supp. Fig. 18 (and Table 1's 3D MRI row)",
            (ct
                ? $"A perturbed Shepp–Logan phantom on a {grid} grid, its {observed.Rows} parallel-beam projections (what training sees), and the reconstructions: "
                : $"The middle slice of a perturbed 3D Shepp–Logan phantom on a {grid} grid (a substitute for the paper's brain scans), the zero-kz plane of the k-space mask, and the middle slice of each reconstruction: ") +
            "the network outputs the whole grid and is trained only through the forward model; the title gives the PSNR against the phantom. " +
            "The paper's figure shows the same progression, blurry without a mapping and sharper with Fourier features.", png, svg, used.ToArray());

        // PSNR over training, mean over the phantoms.
        var plot = Plots.NewPlot($"{(ct ? "2D CT" : "3D MRI")}: PSNR over training ({data.PerPhantom(Gaussian, r => r.FinalPsnr).Count} phantoms, {grid})", "Training iteration", "PSNR against the phantom [dB]");
        for (int i = 0; i < Methods.Length; i++)
        {
            var runs = data.Of(Methods[i]).ToList();
            if (runs.Count == 0) continue;
            int n = runs.Min(r => r.Steps.Length);
            var line = plot.Add.ScatterLine(runs[0].Steps.Take(n).Select(s => (double)s).ToArray(),
                Enumerable.Range(0, n).Select(f => runs.Average(r => r.Psnr[f])).ToArray(), Plots.Palette[i]);
            line.LineWidth = 2;
            if (Methods[i] == GridOpt) line.LinePattern = LinePattern.Dashed;
            line.LegendText = Titles[Methods[i]];
        }
        plot.ShowLegend(Alignment.LowerRight);
        (png, svg) = FigureWriter.Save(Path.Combine(context.OutDir, id + "-psnr"), [plot]);
        yield return new FigureResult(id + "-psnr", "PSNR over training", ct ? "Tancik et al. 2D CT notebook's PSNR curves" : "Tancik et al. 3D MRI notebook's PSNR curves",
            "PSNR of the reconstruction against the phantom over training, mean over the phantoms, per mapping; dashed: the pixels (voxels) optimised directly through the same forward model.",
            png, svg, data.Runs.Select(r => r.RunId).ToArray());
    }

    // The mask in FFT order, shifted so that zero frequency is in the middle (as one would plot k-space).
    static double[] FftShift(double[] plane, int r)
    {
        var shifted = new double[plane.Length];
        for (int y = 0; y < r; y++)
            for (int x = 0; x < r; x++) shifted[((y + r / 2) % r) * r + (x + r / 2) % r] = plane[y * r + x];
        return shifted;
    }

    public IEnumerable<ReportBlock> ReportBlocks(AnalysisContext context)
    {
        var data = ReconstructionData.Load(context, Experiment);
        if (data is null) yield break;
        int phantoms = data.Runs.Select(r => r.Phantom).Distinct().Count();
        yield return new ReportHeading(3, ct ? "Table 1 (2D CT): ours" : "Table 1 (3D MRI): ours");
        yield return new ReportParagraph(
            (ct
                ? $"Ours: {phantoms} perturbed Shepp–Logan phantoms at {data.Resolution}x{data.Resolution}, 20 parallel-beam projections, {data.Iterations} iterations. Paper: 8 test phantoms at 512x512, 1000 iterations. "
                : $"Ours: {phantoms} perturbed 3D Shepp–Logan phantoms at {data.Resolution}³ (**substitutes** for the paper's ATLAS brain scans, which cannot be obtained here), {data.Iterations} iterations. Paper: 6 test volumes at 96³, 1000 iterations. ") +
            "PSNR of the reconstruction against the phantom over the whole grid (nothing is held out: the observations are indirect). " +
            "**The paper's values for this row are not given here**: they were not found in any stored copy of the paper that could be searched (only its opening pages), " +
            "and the reference notebook prints them only inside plotted images; no number is guessed. The order of the rows and the size of the gains are what the claims check.");
        var rows = Methods.Select(m =>
        {
            var final = data.PerPhantom(m, r => r.FinalPsnr).Values.ToList();
            var initial = data.PerPhantom(m, r => r.InitialPsnr).Values.ToList();
            return new[]
            {
                Titles[m],
                final.Count == 0 ? "-" : $"{Stats.Mean(final):F2} ± {Stats.PopulationStd(final):F2}",
                initial.Count == 0 ? "-" : $"{Stats.Mean(initial):F2} ± {Stats.PopulationStd(initial):F2}",
                "not available",
            };
        }).ToList();
        yield return new ReportTable(["Method", "PSNR (ours, trained)", "PSNR (ours, iteration 0: the control)", "Paper"], rows);
        yield return new ReportParagraph("Mean ± population standard deviation over phantoms (np.std, as the notebooks print it), in dB (PSNR = −10 log10 MSE, peak 1). " +
            "The notebooks report the value logged at iteration 975; ours is at the last iteration.");
    }
}
