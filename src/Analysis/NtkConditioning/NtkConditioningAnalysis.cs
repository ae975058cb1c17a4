using System.Globalization;
using FourierRepro.Analysis.Claims;
using FourierRepro.Analysis.Plotting;
using FourierRepro.Storage;
using ScottPlot;

namespace FourierRepro.Analysis.NtkConditioning;

// Tancik et al. 2020, Fig. 2 caption and supplementary Fig. 7: the eigenvalues and condition number of the NTK Gram
// matrix on the periodic training grid, per mapping and depth, and the claims they support.
public sealed class NtkConditioningAnalysis : IAnalysisModule
{
    public const string ExperimentName = NtkConditioningContract.Experiment;
    // NTKC-3: eigvalsh and an N-term DFT each carry a backward error of ~N·ε·λ_max (256 × 2.2e-16 ≈ 6e-14 at the largest
    // grid; 1e-13 on an exactly circulant matrix in the tests), but the kernel itself is stationary only to ~1e-8: where
    // c = cos θ rounds to 1 − 1 ulp on the diagonal (the features' norm rounds differently in the GEMM and in the row
    // sums), arccos gives θ ≈ √(2ε) ≈ 1.5e-8 instead of 0 (README, "NTK numerics"; measured: 6e-10 of λ_max for p = 0).
    // 1e-7 is that floor with a margin of 10, and still 1e6 times below the no-mapping kernel's gap (the control, ~0.6).
    public const double MaxCirculantGap = 1e-7;
    // NTKC-2: a strong association (Cohen), the bound NTK-5 uses for the same kind of rank statistic.
    const double MinRankCorrelation = 0.5;
    const int ClaimGrid = 32; // NTKC-1 and 2 use the N = 32 grid: ntk-convergence's training points
    const string ControlMapping = "p=1"; // NTKC-1's control: the middle of the paper's powers in the role of "no mapping"

    public string Experiment => ExperimentName;
    public string Title => "Conditioning of the NTK Gram matrix on the training grid (Tancik et al. 2020, Fig. 2 caption, Supp. Fig. 7)";

    public IReadOnlyList<Claim> Claims { get; } =
    [
        new("NTKC-1", ExperimentName,
            "Without a Fourier feature mapping the NTK is badly conditioned on the training grid: its condition number exceeds every Fourier mapping's (Fig. 2 caption: the mappings improve the kernel's conditioning).",
            "N = 32 grid x_j = j/32, NT 0.2.2 standard NTK (4 x 1024). Condition number lambda_max / lambda_min of the Gram matrix for no mapping (x - 0.5) and for " +
            "every Fourier mapping: basic, p = 0, 0.5, 1, 1.5, 2, inf (once: deterministic) and Gaussian B ~ N(0, sigma^2), sigma = 1..16, 16 features " +
            "normalised to norm 1 (every seed's draws). Effect: the smallest log10 kappa(none) - log10 kappa(m) over the Fourier mappings m, in decades. " +
            "Bound 0: an ordering, the value at which 'exceeds every' starts to hold.",
            "min over Fourier mappings of log10 kappa(none) - log10 kappa(m) > 0", Scales.All, WorstConditioned)
        {
            NullHypothesis = "the 1 + M kernels are exchangeable with respect to their condition number (no mapping is not special)",
            ControlText = $"the same statistic with a Fourier mapping ({ControlMapping}, the middle of the paper's powers) in the role of no mapping, " +
                          "against the other Fourier mappings: a kernel that is not extreme, so 'exceeds every other' must fail",
            Power = "Exact rank test: p = (number of kernels at least as badly conditioned as no mapping) / (1 + M). Its smallest value is 1/(1 + M): " +
                    "below 0.05 needs M >= 20 mappings, i.e. 7 deterministic + 5 Gaussian per seed x 3 seeds (smoke: p >= 0.043; standard 5 seeds: 0.030; paper 10: 0.017).",
        },
        new("NTKC-2", ExperimentName,
            "The NTK's eigenvalue decay predicts which residual frequencies converge fast: components with larger eigenvalues decay faster (Fig. 2d with Fig. 3c).",
            "For the six power mappings, lambda_k = the eigenvalue of this experiment's N = 32 Gram matrix at DFT bin k (circulant: Re DFT of the kernel row, NTKC-3), " +
            "k = the ntk-convergence residual bins (low, mid, high); against the measured log reduction ln(|r_k(0)| / |r_k(T)|) of the trained ntk-convergence " +
            "network's training-residual DFT at that bin over its whole training (T its last iteration). Per ntk-convergence seed, Spearman rho over the " +
            "18 (mapping, bin) pairs; mean over seeds. The kernel is the paper's 4 x 1024 whatever width ntk-convergence trained (a rank statistic: " +
            $"the widths' kernels differ by a near-constant factor). Bound {MinRankCorrelation}: a strong association (Cohen), as NTK-5. Not evaluated without ntk-convergence runs.",
            $"mean Spearman rho >= {MinRankCorrelation}", Scales.All, EigenvaluesPredictConvergence)
        {
            NullHypothesis = "within each seed, the residual reductions are exchangeable over the (mapping, bin) eigenvalues",
            ControlText = "permuted bins: each eigenvalue paired with the reduction of the next band (low with mid, mid with high, high with low) — " +
                          "the eigenvalue of a different frequency, which predicts nothing by construction",
            Power = "Permutation test of the mean rho, values shuffled within each seed among 18 pairs: with one seed the smallest p is far below 0.05, " +
                    "so every scale with ntk-convergence runs can reach it.",
        },
        new("NTKC-3", ExperimentName,
            "On the periodic grid a stationary kernel's Gram matrix is circulant, so its eigenvalues are the DFT of one kernel row.",
            "Every run (N = 32, and 256 at standard and paper): for every stationary row — the basic mapping, every power mapping and the Gaussian mappings " +
            "with B rounded to integers (B as drawn is not periodic on the grid, so its kernel is only approximately circulant: reported, not claimed) — the gap " +
            "max_k |sorted eigenvalues - sorted Re DFT(first row)| / lambda_max. Identity check of the kernel and the eigen-solver: stationarity plus the " +
            "periodic grid make it hold by construction. Control: the no-mapping kernel (not stationary), whose gap must be far above the bound.",
            $"largest gap <= {MaxCirculantGap:G1} (the kernel's own round-off floor: arccos near c = 1 turns 1 ulp into 1.5e-8)", Scales.All, Circulant)
        { Kind = ClaimKind.Identity, ControlText = "the no-mapping kernel (input x - 0.5), not stationary" },
    ];

    public sealed record ConditioningRun(long RunId, int Seed, int Points, NtkConditioningConfig Config, IReadOnlyList<string> Rows,
        NdArray Eigenvalues, NdArray DftReal, double[] Condition, double[] Depths, NdArray DepthCondition)
    {
        public int Row(string name) => Rows.ToList().IndexOf(name);
    }

    public static List<ConditioningRun> Load(AnalysisContext context) => context.Cached(ExperimentName, c =>
        c.CompletedRuns(ExperimentName).Select(r =>
        {
            var config = r.Config<NtkConditioningConfig>();
            var db = c.Db;
            return new ConditioningRun(r.Id, r.Seed, config.SinglePoints(), config, config.Rows(),
                db.RequireArray(r.Id, NtkConditioningContract.Eigenvalues), db.RequireArray(r.Id, NtkConditioningContract.RowDftReal),
                db.RequireArray(r.Id, NtkConditioningContract.ConditionNumber).Data, db.RequireArray(r.Id, NtkConditioningContract.Depths).Data,
                db.RequireArray(r.Id, NtkConditioningContract.DepthConditionNumber));
        }).OrderBy(r => r.Points).ThenBy(r => r.Seed).ToList());

    // max_k |sorted λ − sorted Re DFT(row)| / λ_max: 0 up to round-off for a circulant Gram matrix.
    public static double CirculantGap(double[] eigenvalues, double[] dftReal)
    {
        var a = eigenvalues.OrderByDescending(v => v).ToArray();
        var b = dftReal.OrderByDescending(v => v).ToArray();
        double scale = Math.Abs(a[0]), worst = 0;
        for (int k = 0; k < a.Length; k++) worst = Math.Max(worst, Math.Abs(a[k] - b[k]) / scale);
        return worst;
    }

    public static bool IsStationaryRow(string row) =>
        row == NtkConditioningContract.Basic || NtkConditioningContract.IsIntegerGaussian(row) || PowerMappingNames.TryParsePower(row, out _);

    static ClaimResult? Circulant(AnalysisContext context)
    {
        var runs = Load(context);
        if (runs.Count == 0) return null;
        var gaps = new List<(string Name, double Gap)>();
        var noneGaps = new List<double>();
        var drawnGaps = new List<double>();
        foreach (var run in runs)
            for (int m = 0; m < run.Rows.Count; m++)
            {
                double gap = CirculantGap(run.Eigenvalues.Row(m), run.DftReal.Row(m));
                if (IsStationaryRow(run.Rows[m])) gaps.Add(($"{run.Rows[m]} N={run.Points} seed {run.Seed}", gap));
                else if (run.Rows[m] == PowerMappingNames.None) noneGaps.Add(gap);
                else drawnGaps.Add(gap);
            }
        var worst = gaps.MaxBy(g => g.Gap);
        double noneGap = noneGaps.Min();
        return new ClaimResult(worst.Gap, worst.Gap <= MaxCirculantGap,
            $"{gaps.Count} stationary rows over {runs.Count} runs, largest gap {worst.Gap:G3} ({worst.Name}); Gaussian B as drawn (not claimed): " +
            $"gaps {drawnGaps.DefaultIfEmpty(double.NaN).Min():G3} .. {drawnGaps.DefaultIfEmpty(double.NaN).Max():G3}", runs.Select(r => r.RunId).ToArray())
        {
            Control = new ControlResult("no-mapping kernel", noneGap, noneGap <= MaxCirculantGap, $"smallest no-mapping gap over {noneGaps.Count} runs: {noneGap:G3}"),
        };
    }

    // The Fourier rows of NTKC-1 at N = 32: the deterministic ones from the first seed, the Gaussian draws (B as drawn) of every seed.
    static List<(string Name, double LogKappa)> FourierKappas(List<ConditioningRun> runs)
    {
        var result = new List<(string, double)>();
        foreach (var run in runs)
            for (int m = 0; m < run.Rows.Count; m++)
            {
                var row = run.Rows[m];
                bool gaussian = NtkConditioningContract.IsGaussian(row) && !NtkConditioningContract.IsIntegerGaussian(row);
                bool deterministic = row == NtkConditioningContract.Basic || PowerMappingNames.TryParsePower(row, out _);
                if (gaussian || (deterministic && run == runs[0])) result.Add((gaussian ? $"{row} seed {run.Seed}" : row, Math.Log10(run.Condition[m])));
            }
        return result;
    }

    static ClaimResult? WorstConditioned(AnalysisContext context)
    {
        var runs = Load(context).Where(r => r.Points == ClaimGrid).ToList();
        if (runs.Count == 0) return null;
        var fourier = FourierKappas(runs);
        int noneRow = runs[0].Row(PowerMappingNames.None);
        double none = Math.Log10(runs[0].Condition[noneRow]);
        var (measured, holds, test, details) = RankMeasure(none, fourier, "no mapping");
        // kappa = inf means lambda_min <= 0 in float64: say how many eigenvalues stand above the round-off of lambda_max.
        var noneEig = runs[0].Eigenvalues.Row(noneRow);
        int rank = noneEig.Count(v => v > noneEig.Length * 2.2e-16 * noneEig[0]);
        details = $"no mapping: {rank} of {noneEig.Length} eigenvalues above N eps lambda_max (smallest {noneEig[^1]:G3}); " + details;
        var controlRow = fourier.FindIndex(f => f.Name == ControlMapping);
        ControlResult? control = null;
        if (controlRow >= 0)
        {
            var others = fourier.Where((_, i) => i != controlRow).ToList();
            var (cm, ch, _, cd) = RankMeasure(fourier[controlRow].LogKappa, others, ControlMapping);
            control = new ControlResult($"{ControlMapping} in the role of no mapping", cm, ch, cd);
        }
        return new ClaimResult(measured, holds, details, runs.Select(r => r.RunId).ToArray()) { Test = test, Control = control };
    }

    // The smallest log10 κ(candidate) − log10 κ(m) over the others, and the exact rank test of the candidate being that extreme.
    static (double Measured, bool Holds, Significance Test, string Details) RankMeasure(double candidate, List<(string Name, double LogKappa)> others, string name)
    {
        var differences = others.Select(o => candidate - o.LogKappa).ToArray();
        double measured = differences.Min();
        int atLeast = 1 + others.Count(o => o.LogKappa >= candidate);
        double p = (double)atLeast / (1 + others.Count);
        var (lo, hi) = HypothesisTests.BootstrapMeanInterval(differences);
        var test = new Significance(p, lo, hi, 1 + others.Count, "kernels", $"exact rank test, {atLeast - 1} of {others.Count} at least as badly conditioned", differences);
        var closest = others.MaxBy(o => o.LogKappa);
        return (measured, measured > 0, test,
            $"log10 kappa({name}) = {candidate:F2}; the worst other is {closest.Name} at {closest.LogKappa:F2}; " +
            string.Join(", ", others.Select(o => $"{o.Name}: {o.LogKappa:F2}")));
    }

    static ClaimResult? EigenvaluesPredictConvergence(AnalysisContext context)
    {
        var runs = Load(context).Where(r => r.Points == ClaimGrid).ToList();
        if (runs.Count == 0) return null;
        var convergence = NtkConvergenceData.Load(context).Where(r => r.IsPowerMapping).ToList();
        if (convergence.Count == 0) return ClaimResult.NotEvaluated("no completed ntk-convergence runs at this scale: nothing to compare the eigenvalues with");
        var kernel = runs[0];
        var bins = context.CompletedRuns(NtkConvergenceContract.Experiment).First().Config<NtkConvergenceConfig>().ResidualBins;
        var seeds = convergence.GroupBy(r => r.Seed).OrderBy(g => g.Key).ToList();
        var missing = convergence.Select(r => r.Mapping).Distinct().Where(m => kernel.Row(m) < 0).ToList();
        if (missing.Count > 0) return ClaimResult.NotEvaluated($"mappings without an eigenvalue row: {string.Join(", ", missing)}");
        var bands = NtkConvergenceContract.Bands;
        var (real, realDetails) = RankGroups(kernel, seeds, bins, bands, shift: 0);
        var (shifted, shiftedDetails) = RankGroups(kernel, seeds, bins, bands, shift: 1);
        var test = HypothesisTests.SpearmanPermutation(real, "seeds");
        double mean = test.Values.Average();
        var controlTest = HypothesisTests.SpearmanPermutation(shifted, "seeds");
        double controlMean = controlTest.Values.Average();
        return new ClaimResult(mean, mean >= MinRankCorrelation, realDetails, [kernel.RunId, .. convergence.Select(r => r.RunId)])
        {
            Test = test,
            Control = new ControlResult("permuted bins (eigenvalue of the next band)", controlMean, controlMean >= MinRankCorrelation, shiftedDetails),
        };
    }

    // Per seed: (λ at bin k of each mapping, ln reduction of the residual of band k + shift).
    static (List<(double[] X, double[] Y)> Groups, string Details) RankGroups(ConditioningRun kernel, List<IGrouping<int, ConvergenceRun>> seeds,
        int[] bins, string[] bands, int shift)
    {
        var groups = new List<(double[], double[])>();
        var details = new List<string>();
        foreach (var seed in seeds)
        {
            var xs = new List<double>();
            var ys = new List<double>();
            foreach (var run in seed)
                for (int b = 0; b < bands.Length; b++)
                {
                    var series = run[NtkConvergenceContract.Residual(bands[(b + shift) % bands.Length])];
                    xs.Add(kernel.DftReal[kernel.Row(run.Mapping), bins[b]]);
                    ys.Add(Math.Log(series[0] / series[^1]));
                }
            groups.Add((xs.ToArray(), ys.ToArray()));
            details.Add($"seed {seed.Key}: rho {Stats.Spearman(xs, ys):F3} over {xs.Count} pairs");
        }
        return (groups, string.Join("; ", details));
    }

    public IEnumerable<FigureResult> DrawFigures(AnalysisContext context)
    {
        var runs = Load(context);
        if (runs.Count == 0) yield break;
        var panels = runs.Where(r => r.Seed == runs.Where(q => q.Points == r.Points).Min(q => q.Seed))
            .SelectMany(r => new[] { SpectrumPanel(r, gaussian: false), SpectrumPanel(r, gaussian: true) }).ToList();
        var (png, svg) = FigureWriter.Save(Path.Combine(context.OutDir, "ntk-conditioning-spectra"), panels, columns: 2);
        yield return new FigureResult("ntk-conditioning-spectra", "Eigenvalues of the NTK Gram matrix on the training grid, per mapping", "Tancik et al. Fig. 2 caption, Supp. Fig. 7",
            "Eigenvalues (descending) of the NT 0.2.2 standard NTK (4 x 1024) on x_j = j/N, on a log axis: left, no mapping, the basic mapping and a_j = j^-p; " +
            "right, Gaussian B ~ N(0, σ²) with 16 features (the lowest seed's draw; dashed: B rounded to integers). The flatter the spectrum, the better conditioned; " +
            "no mapping falls to the plot's floor of 1e-12 (eigenvalues at or below 0 in float64: its kernel has finite rank, since a scalar input gives c = ±1 at every ReLU).", png, svg, runs.Select(r => r.RunId).ToArray());

        var grid = runs.Where(r => r.Points == runs.Min(q => q.Points)).ToList();
        var (png2, svg2) = FigureWriter.Save(Path.Combine(context.OutDir, "ntk-conditioning-condition"),
            [PowerPanel(grid), SigmaPanel(grid), DepthPanel(grid[0])], columns: 3);
        yield return new FigureResult("ntk-conditioning-condition", "Condition number of the NTK Gram matrix against p, σ and depth", "Tancik et al. Fig. 2 caption, Supp. Fig. 7",
            $"λ_max/λ_min on the N = {grid[0].Points} grid: (a) against the power p of a_j = j^-p (p = ∞ at the right), with no mapping and the basic mapping as lines; " +
            $"(b) against σ of Gaussian features, every seed's draw as a point and the mean of log10 κ as a line (B as drawn, and rounded to integers); " +
            "(c) against the network's depth for the swept mappings.", png2, svg2, grid.Select(r => r.RunId).ToArray());
    }

    static Plot SpectrumPanel(ConditioningRun run, bool gaussian)
    {
        var plot = Plots.NewPlot(gaussian ? $"(b) Gaussian features, N = {run.Points}" : $"(a) None, basic, power mappings, N = {run.Points}",
            "eigenvalue index (descending)", "eigenvalue λ");
        var all = new List<double>();
        int color = 0;
        var indices = Enumerable.Range(1, run.Points).Select(i => (double)i).ToArray();
        foreach (var row in run.Rows)
        {
            bool isGaussian = NtkConditioningContract.IsGaussian(row);
            if (isGaussian != gaussian) continue;
            bool integer = NtkConditioningContract.IsIntegerGaussian(row);
            var logs = LogAxis.Log10(run.Eigenvalues.Row(run.Row(row)));
            all.AddRange(logs);
            var c = Plots.Palette[(integer ? color - run.Config.GaussianSigmas.Length : color) % Plots.Palette.Length];
            var line = plot.Add.ScatterLine(indices, logs, c);
            line.LineWidth = 2;
            if (integer) line.LinePattern = LinePattern.Dashed;
            line.LegendText = integer ? "" : Label(row);
            color++;
        }
        LogAxis.FitDecades(plot, all);
        plot.ShowLegend(gaussian ? Alignment.UpperRight : Alignment.MiddleRight); // (a): no mapping falls to the floor along the bottom
        return plot;
    }

    public static string Label(string row)
    {
        if (row == PowerMappingNames.None) return "No mapping";
        if (row == NtkConditioningContract.Basic) return "Basic";
        if (NtkConditioningContract.IsGaussian(row))
            return $"σ = {NtkConditioningContract.Sigma(row).ToString(CultureInfo.InvariantCulture)}" + (NtkConditioningContract.IsIntegerGaussian(row) ? " (integer B)" : "");
        return NtkConvergenceData.Label(row);
    }

    static Plot PowerPanel(List<ConditioningRun> grid)
    {
        var run = grid[0];
        var singular = new[] { PowerMappingNames.None, NtkConditioningContract.Basic }.Where(r => !double.IsFinite(run.Condition[run.Row(r)])).Select(Label).ToList();
        // An infinite κ (λ_min ≤ 0 in float64: the no-mapping kernel has finite rank) cannot be drawn on a log axis: said in the title.
        var plot = Plots.NewPlot("(a) Power mappings a_j = j^-p" + (singular.Count > 0 ? $"; {string.Join(", ", singular)}: κ = ∞" : ""), "p", "condition number λ_max/λ_min");
        var powers = run.Config.Powers.Select(PowerMappingNames.Power).ToArray();
        double infAt = powers.Where(double.IsFinite).DefaultIfEmpty(0).Max() + 0.5;   // p = ∞ drawn half a unit to the right
        var xs = powers.Select(p => double.IsFinite(p) ? p : infAt).ToArray();
        var logs = LogAxis.Log10(run.Config.Powers.Select(p => run.Condition[run.Row(p)]));
        var line = plot.Add.ScatterLine(xs, logs, Plots.Palette[0]);
        line.LineWidth = 2;
        line.MarkerSize = 8;
        line.LegendText = "power mapping";
        var all = new List<double>(logs);
        int color = 1;
        foreach (var row in new[] { PowerMappingNames.None, NtkConditioningContract.Basic })
        {
            double kappa = run.Condition[run.Row(row)];
            if (!double.IsFinite(kappa)) { color++; continue; }
            double v = Math.Log10(Math.Max(kappa, LogAxis.Floor));
            all.Add(v);
            var h = plot.Add.HorizontalLine(v, 2, Plots.Palette[color++], LinePattern.Dashed);
            h.LegendText = Label(row);
        }
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int i = 0; i < xs.Length; i++) ticks.AddMajor(xs[i], double.IsFinite(powers[i]) ? powers[i].ToString(CultureInfo.InvariantCulture) : "∞");
        plot.Axes.Bottom.TickGenerator = ticks;
        LogAxis.FitDecades(plot, all);
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    static Plot SigmaPanel(List<ConditioningRun> grid)
    {
        var plot = Plots.NewPlot("(b) Gaussian features B ~ N(0, σ²)", "σ [cycles per unit, log₂ axis]", "condition number λ_max/λ_min");
        var sigmas = grid[0].Config.GaussianSigmas;
        var log2 = sigmas.Select(Math.Log2).ToArray();
        var all = new List<double>();
        foreach (var integer in new[] { false, true })
        {
            var color = Plots.Palette[integer ? 1 : 0];
            var perSeed = grid.Select(r => LogAxis.Log10(sigmas.Select(s => r.Condition[r.Row(NtkConditioningContract.GaussianRow(s, integer))]))).ToList();
            foreach (var logs in perSeed)
            {
                all.AddRange(logs);
                var points = plot.Add.ScatterPoints(log2, logs, color);
                points.MarkerSize = 6;
            }
            var mean = Enumerable.Range(0, sigmas.Length).Select(i => perSeed.Average(l => l[i])).ToArray();
            var line = plot.Add.ScatterLine(log2, mean, color);
            line.LineWidth = 2;
            if (integer) line.LinePattern = LinePattern.Dashed;
            line.LegendText = integer ? $"B rounded to integers (mean of {grid.Count} seeds)" : $"B as drawn (mean of {grid.Count} seeds)";
        }
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int i = 0; i < sigmas.Length; i++) ticks.AddMajor(log2[i], sigmas[i].ToString(CultureInfo.InvariantCulture));
        plot.Axes.Bottom.TickGenerator = ticks;
        LogAxis.FitDecades(plot, all);
        plot.ShowLegend(Alignment.UpperRight); // κ falls with σ: the upper right is free
        return plot;
    }

    static Plot DepthPanel(ConditioningRun run)
    {
        var singular = new List<string>();
        var series = new List<(string Label, double[] X, double[] Y, int Color)>();
        for (int k = 0; k < run.Config.DepthMappings.Length; k++)
        {
            var kappa = run.DepthCondition.Row(k);
            var finite = Enumerable.Range(0, kappa.Length).Where(i => double.IsFinite(kappa[i])).ToArray();
            var label = Label(run.Config.DepthMappings[k]);
            if (finite.Length < kappa.Length)
                singular.Add(finite.Length == 0 ? $"{label}: κ = ∞ at every depth" : $"{label}: κ = ∞ at L = {string.Join(", ", Enumerable.Range(0, kappa.Length).Except(finite).Select(i => run.Depths[i]))}");
            if (finite.Length > 0) series.Add((label, finite.Select(i => run.Depths[i]).ToArray(), LogAxis.Log10(finite.Select(i => kappa[i])), k));
        }
        // An infinite κ cannot be drawn on a log axis: said in the title.
        var plot = Plots.NewPlot("(c) Depth" + (singular.Count > 0 ? $"; {string.Join("; ", singular)}" : ""), "layers (linear output included)", "condition number λ_max/λ_min");
        foreach (var (label, xs, ys, color) in series)
        {
            var line = plot.Add.ScatterLine(xs, ys, Plots.Palette[color % Plots.Palette.Length]);
            line.LineWidth = 2;
            line.MarkerSize = 8;
            line.LegendText = label;
        }
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (var depth in run.Depths) ticks.AddMajor(depth, depth.ToString(CultureInfo.InvariantCulture));
        plot.Axes.Bottom.TickGenerator = ticks;
        LogAxis.FitDecades(plot, series.SelectMany(s => s.Y));
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }
}
