using FourierRepro.Analysis.Plotting;
using ScottPlot;

namespace FourierRepro.Analysis.Perturbation;

// Rahaman et al. 2019, Fig. 3: robustness of a trained network's spectrum to random parameter perturbations.
public sealed class PerturbationAnalysis : IAnalysisModule
{
    const double FittedThreshold = 0.5; // a frequency counts as fitted when 2|f(k)|/A >= 0.5: below that it has little amplitude to lose
    const double MinKendallTau = 0.6;   // at least 80 % of the pairs in the paper's order (a random order gives 0 ± 0.3 for ~10 pairs)
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
            "component's ratio is noise over noise. Every pair k_a < k_b of fitted frequencies within a run is concordant when k_a retains more; " +
            "Kendall's tau = (concordant - discordant) / pairs, pooled over all runs.",
            $"pooled Kendall tau >= {MinKendallTau}, over at least 3 pairs", Scales.All,
            LowFrequenciesAreMoreRobust),
    ];

    static ClaimResult? LowFrequenciesAreMoreRobust(AnalysisContext context)
    {
        var runs = PerturbationData.Load(context);
        if (runs.Count == 0) return null;
        int concordant = 0, discordant = 0;
        var details = new List<string>();
        foreach (var run in runs)
        {
            var fitted = Enumerable.Range(0, run.Frequencies.Length).Where(i => run.FitAmplitude[i] >= FittedThreshold).ToList();
            var retained = fitted.Select(run.Retained).ToList();
            for (int a = 0; a < fitted.Count; a++)
                for (int b = a + 1; b < fitted.Count; b++)
                {
                    // fitted is in increasing k; ties (exactly equal retained amplitude) count for neither side
                    if (retained[a] > retained[b]) concordant++;
                    else if (retained[a] < retained[b]) discordant++;
                }
            details.Add($"run {run.RunId}: fitted k = [{string.Join(" ", fitted.Select(i => run.Frequencies[i]))}], " +
                        $"retained [{string.Join(" ", retained.Select(v => v.ToString("F2")))}], " +
                        $"below {DropThreshold} at delta = [{string.Join(" ", fitted.Select(i => run.DropDelta(i, DropThreshold)).Select(d => double.IsInfinity(d) ? "-" : d.ToString("F2")))}]");
        }
        int pairs = concordant + discordant;
        double tau = pairs == 0 ? double.NaN : (double)(concordant - discordant) / pairs;
        return new ClaimResult(tau, pairs >= 3 && tau >= MinKendallTau,
            $"{runs.Count} runs, {pairs} pairs ({concordant} concordant, {discordant} discordant); " + string.Join("; ", details),
            runs.Select(r => r.RunId).ToArray());
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
