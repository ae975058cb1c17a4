using FourierRepro.Analysis.Plotting;
using FourierRepro.Analysis.Claims;
using ScottPlot;

namespace FourierRepro.Analysis.Perturbation;

// Rahaman et al. 2019, Fig. 3: robustness of a trained network's spectrum to random parameter perturbations.
public sealed class PerturbationAnalysis : IAnalysisModule
{
    const double FittedThreshold = 0.5; // a frequency counts as fitted when 2|f(k)|/A >= 0.5: below that it has little amplitude to lose
    const double MinKendallTau = 0.6;   // a property of the statistic: at least 80 % of the pairs in the paper's order (tau = 2·0.8 − 1)
    const int MinPairs = 3;             // fewer pairs cannot reach p < 0.05 under the permutation test (3 fitted frequencies in one run: p >= 1/3! = 0.17)
    const double DropThreshold = 0.8;   // for the details: the δ at which a component keeps less than 80 % of its amplitude

    public string Experiment => PerturbationData.Experiment;
    public string Title => "Robustness to parameter perturbations (Rahaman et al. 2019, Fig. 3)";

    public IReadOnlyList<Claim> Claims { get; } =
    [
        new("PR-1", PerturbationData.Experiment,
            "The low-frequency components of a trained network's function are more robust to random perturbations of its parameters than the high-frequency ones: " +
            "as the perturbation norm grows, the high frequencies lose their amplitude first (Fig. 3).",
            "Per run (2 at smoke, 3 at standard, 5 at paper), the retained amplitude of k_i is the mean over the swept perturbation norms delta of " +
            "mean_u |f_{theta+delta u}(k_i)| / |f_theta(k_i)| clipped to [0, 1]. Only the frequencies the trained network has fitted " +
            $"(2|f_theta(k_i)|/A_i >= {FittedThreshold}) take part: the paper's 60000-step networks fit all ten, shorter runs fit the low ones only, and an unfitted " +
            "component's ratio is noise over noise; a network that fitted fewer than two frequencies contributes no pair. Every pair k_a < k_b of fitted frequencies " +
            "within a run is concordant when k_a retains more; Kendall's tau = (concordant - discordant) / pairs, pooled over all runs. " +
            "Test: the retained amplitudes are permuted over the fitted frequencies within each run (20000 resamples, exact for one run of <= 8), p = share of " +
            "permutations whose pooled tau is at least the observed one; the interval is the bootstrap over the runs' own taus.",
            $"pooled Kendall tau >= {MinKendallTau} (80 % of the pairs in order), over at least {MinPairs} pairs", Scales.All,
            LowFrequenciesAreMoreRobust)
        {
            NullHypothesis = "Within each run, the retained amplitude does not depend on k: its values are exchangeable over the fitted frequencies.",
            ControlText = "The same runs' networks at initialisation (their own weights before the first update), swept with the same directions and delta and " +
                          "scored at the same fitted frequencies with the same tau: an untrained network has learned no component, so whatever order it shows " +
                          "comes from the perturbation and the architecture, not from learning. Its components at k_i are far below A and perturbations " +
                          "raise them (ratio > 1, clipped to 1), so it retains ~1 at every k and its tau is a coin flip among near-ties: the order is not " +
                          "made by the sweep, the normalisation or the clipping. A weak control, as it cannot say what an untrained network of " +
                          "fitted-size components would do; the value it gives is in the claims table.",
            Power = "The permutation p of one run with m fitted frequencies is at least 1/m! (m = 3: 0.17, m = 4: 0.042); with two runs of >= 3 fitted each " +
                    "it can reach 1/36 = 0.028. Smoke's 2000-step networks fit 3-5 of the ten (at 1e-3), so smoke can decide; standard and paper fit more.",
        },
    ];

    // Pooled Kendall tau over groups of retained amplitudes, each in increasing k: (concordant − discordant) / pairs.
    public static (double Tau, int Concordant, int Discordant) PooledTau(IEnumerable<IReadOnlyList<double>> groups)
    {
        int concordant = 0, discordant = 0;
        foreach (var retained in groups)
            for (int a = 0; a < retained.Count; a++)
                for (int b = a + 1; b < retained.Count; b++)
                {
                    // ties (exactly equal retained amplitude) count for neither side
                    if (retained[a] > retained[b]) concordant++;
                    else if (retained[a] < retained[b]) discordant++;
                }
        int pairs = concordant + discordant;
        return (pairs == 0 ? double.NaN : (double)(concordant - discordant) / pairs, concordant, discordant);
    }

    internal static ClaimResult? LowFrequenciesAreMoreRobust(AnalysisContext context)
    {
        var runs = PerturbationData.Load(context);
        if (runs.Count == 0) return null;
        if (runs.Any(r => r.InitialNormalized is null))
            return ClaimResult.NotEvaluated("the runs do not record the initial network's sweep (the negative control): re-run perturbation-robustness with this code");
        var fitted = runs.Select(run => Enumerable.Range(0, run.Frequencies.Length).Where(i => run.FitAmplitude[i] >= FittedThreshold).ToArray()).ToList();
        var groups = runs.Select((run, r) => fitted[r].Select(run.Retained).ToArray()).ToList();
        var controlGroups = runs.Select((run, r) => fitted[r].Select(run.InitialRetained).ToArray()).ToList();
        var (tau, concordant, discordant) = PooledTau(groups);
        int pairs = concordant + discordant;
        var details = runs.Select((run, r) =>
            $"run {run.RunId}: fitted k = [{string.Join(" ", fitted[r].Select(i => run.Frequencies[i]))}], " +
            $"retained [{string.Join(" ", groups[r].Select(v => v.ToString("F2")))}] (untrained [{string.Join(" ", controlGroups[r].Select(v => v.ToString("F2")))}]), " +
            $"below {DropThreshold} at delta = [{string.Join(" ", fitted[r].Select(i => run.DropDelta(i, DropThreshold)).Select(d => double.IsInfinity(d) ? "-" : d.ToString("F2")))}]");

        var withPairs = groups.Where(g => g.Length >= 2).ToList();
        Significance? test = null;
        if (withPairs.Count > 0)
        {
            double p = HypothesisTests.PermutationPValue(withPairs, gs => PooledTau(gs).Tau is var t && double.IsFinite(t) ? t : -1);
            var perRun = withPairs.Select(g => PooledTau([g]).Tau).Select(t => double.IsFinite(t) ? t : 0).ToList();
            var (lo, hi) = HypothesisTests.BootstrapMeanInterval(perRun);
            test = new Significance(p, lo, hi, withPairs.Count, "runs",
                "permutation test of the pooled Kendall tau, retained amplitudes shuffled over the fitted frequencies within each run", perRun);
        }

        var (controlTau, cc, cd) = PooledTau(controlGroups);
        var control = new ControlResult("untrained networks (initial weights), same sweep and frequencies", controlTau,
            cc + cd >= MinPairs && controlTau >= MinKendallTau,
            $"pooled tau {controlTau:F3} over {cc + cd} pairs ({cc} concordant, {cd} discordant)");
        return new ClaimResult(tau, pairs >= MinPairs && tau >= MinKendallTau,
            $"{runs.Count} runs, {pairs} pairs ({concordant} concordant, {discordant} discordant); " + string.Join("; ", details),
            runs.Select(r => r.RunId).ToArray()) { Test = test, Control = control };
    }

    public IEnumerable<FigureResult> DrawFigures(AnalysisContext context)
    {
        var runs = PerturbationData.Load(context);
        if (runs.Count == 0) yield break;
        var mean = Stats.MeanOf(runs.Select(r => r.Normalized).ToList());
        var deltas = runs[0].Deltas.Take(mean.GetLength(0)).ToArray();
        var frequencies = runs[0].Frequencies;

        var heatmap = Plots.Heatmap($"(a) mean over {runs.Count} trained networks", "Frequency k [cycles per unit interval]", "Perturbation norm δ",
            mean, frequencies, deltas, 0, 1, "perturbed / trained amplitude at k");

        var lines = Plots.NewPlot("(b) the same, one line per frequency", "Perturbation norm δ", "perturbed / trained amplitude at k");
        var colormap = new ScottPlot.Colormaps.Viridis();
        for (int i = 0; i < frequencies.Length; i++)
        {
            double fit = Stats.Mean(runs.Select(r => r.FitAmplitude[i]).ToList());
            var line = lines.Add.ScatterLine(deltas, Enumerable.Range(0, deltas.Length).Select(d => mean[d, i]).ToArray(),
                colormap.GetColor(i / Math.Max(1.0, frequencies.Length - 1.0) * 0.9));
            line.LineWidth = 2;
            line.LinePattern = fit >= FittedThreshold ? LinePattern.Solid : LinePattern.Dashed;
            line.LegendText = $"k = {frequencies[i]:G4} (fit {fit:F2})";
        }
        lines.Add.HorizontalLine(1, 1, Colors.Gray, LinePattern.Dotted);
        double top = 0;
        foreach (var v in mean) top = Math.Max(top, v);
        lines.Axes.SetLimitsY(0, Math.Clamp(top + 0.05, 1.1, 1.5));
        lines.ShowLegend(Alignment.LowerLeft);
        lines.Legend.FontSize = 10;

        var (png, svg) = FigureWriter.Save(Path.Combine(context.OutDir, "fig3-perturbation-robustness"), [heatmap, lines], columns: 2);
        yield return new FigureResult("fig3-perturbation-robustness", "Robustness of the spectrum to parameter perturbations", "Rahaman et al. Fig. 3",
            "Trained networks (equal amplitudes, k = 5 ... 50) perturbed along random directions of unit global norm over all weights and biases, scaled by δ; " +
            "the spectra of the perturbed networks are averaged over the directions and divided by the trained network's own spectrum at each k, so the row δ = 0 is 1. " +
            "The paper shows the high-frequency columns fading at smaller δ than the low ones. In (b), dashed lines are frequencies the trained networks had not fitted " +
            $"(2|f(k)|/A < {FittedThreshold}, mean over runs; the paper's 60000-step networks fit all ten): their ratio is noise over noise.",
            png, svg, runs.Select(r => r.RunId).ToArray());
    }
}
